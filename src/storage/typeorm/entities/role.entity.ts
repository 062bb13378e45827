import { Column, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/**
 * A role, with the permissions it grants. Table and column names follow
 * Flask-Security's fsqla models so an existing `role` table maps unchanged:
 * permissions are stored as one comma-separated text column.
 */
@Entity('role')
@Unique('role_name_key', ['name'])
export class Role {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'role_pkey' })
  id: number;

  /** Matched exactly (case-sensitive), as Flask-Security does. */
  @Column({ type: 'varchar', length: 80 })
  name: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  description: string | null;

  @Column({ type: 'simple-array', nullable: true })
  permissions: string[] | null;

  @UpdateDateColumn({ name: 'update_datetime', type: 'timestamptz' })
  updateDatetime: Date;
}
