import { Column, Entity } from 'typeorm';
import { SecurityUser } from '../../../src/storage/typeorm/entities/security-user.entity.js';

/**
 * flask-base's `users` table as the module's user, no column renamed:
 * `password_hash`, `confirmed`, `role_id` and the names stay the old app's;
 * adoptUsersTable adds the module's columns, mirrors password_hash into
 * "password" and confirmed into confirmed_at, and role_id into roles_users.
 */
@Entity('users')
export class FlaskBaseUser extends SecurityUser {
  /** The old app's column, kept in step with the module's "password" by adoptUsersTable's trigger. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash: string | null;

  @Column({ type: 'boolean', default: false })
  confirmed: boolean;

  @Column({ name: 'first_name', type: 'varchar', length: 64, nullable: true })
  firstName: string | null;

  @Column({ name: 'last_name', type: 'varchar', length: 64, nullable: true })
  lastName: string | null;

  @Column({ name: 'role_id', type: 'integer', nullable: true })
  roleId: number | null;
}
