import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A brute-force counter (per account, per IP, ...), shared by every app
 * instance through the database: `count` failures since `windowStartedAt`,
 * refused until `lockedUntil` once over the limit.
 */
@Entity('security_attempt')
export class SecurityAttempt {
  /** What is counted, e.g. `login:account:<id>` or `login:ip:<address>`. */
  @PrimaryColumn({ type: 'varchar', length: 255, primaryKeyConstraintName: 'security_attempt_pkey' })
  key: string;

  @Column({ type: 'integer', default: 0 })
  count: number;

  @Column({ name: 'window_started_at', type: 'timestamptz', default: () => 'now()' })
  windowStartedAt: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;
}
