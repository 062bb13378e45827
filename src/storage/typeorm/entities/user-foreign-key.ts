import type { Type } from '@nestjs/common';
import type { ObjectType } from 'typeorm';

let userTarget: Type | string = 'user';

/**
 * What the sessions' and codes' user_id foreign keys point at, read when a
 * DataSource builds its metadata: the `user` table by default, the app's
 * user entity once securityEntities({ userEntity }) named it, so an entity on
 * another table (an adopted `users`, see adoptUsersTable) resolves too.
 */
export function userForeignKeyTarget(): ObjectType<unknown> {
  // TypeORM takes a table or entity name here as well as a class.
  return userTarget as ObjectType<unknown>;
}

export function setUserForeignKeyTarget(target: Type): void {
  userTarget = target;
}
