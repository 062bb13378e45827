import { Column, Entity } from 'typeorm';
import { SecurityUser } from 'nest-security/typeorm';

/** The app's own user: Flask-Security's `user` table plus a column of the app's. */
@Entity('user')
export class AppUser extends SecurityUser {
  @Column({ name: 'display_name', type: 'varchar', length: 80, nullable: true })
  displayName: string | null = null;
}
