import { Entity } from 'typeorm';
import { SecurityUser } from './security-user.entity.js';

/** The ready-made user entity on Flask-Security's `user` table. */
@Entity('user')
export class User extends SecurityUser {}
