import type { Migration } from 'typeorm';
import type { HousekeepingReport } from '../../storage/housekeeping/run-housekeeping.js';
import type { UserDatastore } from '../../storage/user-datastore.js';

/**
 * What the CLI's commands work on: a user store and the account rules that
 * go with it. Either the shipped entities on DATABASE_URL, or the app's own
 * module booted in this process (its entity, datastore and rules).
 */
export interface CliTarget {
  /** Usernames as the app takes them (SecurityModule's usernameEnable / usernameRequired). */
  readonly usernames: { enabled: boolean; required: boolean };
  /** Why `password` cannot be a new password; empty when it can. */
  passwordProblems(password: string): Promise<string[]>;
  hashPassword(password: string): Promise<string>;
  /** The store commands read and write; opened on first use. */
  datastore(): Promise<UserDatastore>;
  /** `db migrate`: applies the pending migrations, returning them (none when up to date). */
  migrate(): Promise<Migration[]>;
  /** `housekeeping`: one bounded run deleting what has expired. */
  housekeeping(): Promise<HousekeepingReport>;
  /** Releases connections (and shuts the app down). */
  close(): Promise<void>;
}
