import type { Type } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SecurityUser } from './entities/security-user.entity.js';

/**
 * Refuses, at start-up, the entity lists that would fail silently later:
 * two classes on one table (TypeORM then drops or wipes the app's own
 * columns), or an app's SecurityUser subclass the module was not told about
 * (users would be created without its columns and hooks).
 */
export function checkUserEntityMapping(dataSource: DataSource, userEntity: Type<SecurityUser>): void {
  const userClasses = dataSource.entityMetadatas.filter(
    (metadata) =>
      typeof metadata.target === 'function' && (metadata.target === SecurityUser || metadata.target.prototype instanceof SecurityUser),
  );
  const byTable = new Map<string, string[]>();
  for (const metadata of userClasses)
    byTable.set(metadata.tablePath, [...(byTable.get(metadata.tablePath) ?? []), (metadata.target as Type).name]);
  for (const [table, classes] of byTable) {
    if (classes.length > 1) {
      throw new Error(
        `nest-security: ${classes.join(' and ')} both map the table "${table}"; list one class per table ` +
          `(entities: securityEntities({ userEntity: ${classes.find((name) => name !== 'User') ?? classes[0]} }))`,
      );
    }
  }
  const other = userClasses.find((metadata) => metadata.target !== userEntity);
  if (other) {
    const name = (other.target as Type).name;
    throw new Error(
      `nest-security: the DataSource maps your user entity ${name}, but the module uses ${userEntity.name}: ` +
        `typeormStorage({ userEntity: ${name} }) (or the option userEntity: ${name})`,
    );
  }
  if (userClasses.length === 0) {
    throw new Error(
      `nest-security: the user entity ${userEntity.name} is not one of the DataSource's entities (entities: securityEntities())`,
    );
  }
}
