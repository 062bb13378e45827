import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { PasswordHasher, TimingFloor, costClassOf } from '../../core/passwords/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { LoginLimitsService } from '../limits/login-limits.service.js';

/** Who is signing in: an email, a username (when usernames are on), or either (Basic). */
export interface PasswordIdentity {
  email?: string;
  username?: string;
  /** Email, or username when usernames are on. */
  identity?: string;
}

/**
 * Checks an identity and password the one way login, /verify and Basic
 * share: count the attempt (429 when locked out), find the user, verify the
 * password, refuse inactive or (when confirmable) unconfirmed users.
 *
 * Every refusal looks the same (null) and costs the same: an unknown
 * identity, or a user without a password, is verified against a dummy
 * hash of the configured scheme made once at start-up, and every check is
 * padded to the floor the slowest scheme in use sets (see TimingFloor), so
 * neither the account's existence nor its stored scheme shows in the time.
 * A good password under an outdated scheme or cost is rehashed (the
 * uniquifier is not rotated: the password did not change).
 */
@Injectable()
export class PasswordAuthenticator<U extends SecurityUser = SecurityUser> implements OnModuleInit {
  private readonly logger = new Logger('PasswordAuthenticator');
  private dummyHash?: Promise<string>;
  /** Shared by every check this authenticator makes (login, /verify, Basic). */
  readonly timingFloor = new TimingFloor();

  constructor(
    private readonly datastore: UserDatastore<U>,
    private readonly hasher: PasswordHasher,
    private readonly limits: LoginLimitsService,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  onModuleInit(): void {
    // Measure the configured scheme at once, so the floor starts at its cost.
    void this.dummy()
      .then((hash) => this.timingFloor.padded(costClassOf(hash), () => this.hasher.verify(randomBytes(12).toString('hex'), hash)))
      .catch((error: Error) => this.logger.warn(`could not measure the password hash: ${error.message}`));
  }

  /** The user, or null for any failure. Throws TooManyAttemptsException when locked out. */
  async authenticate(who: PasswordIdentity, password: string, ip: string): Promise<U | null> {
    const typed = who.username ?? who.email ?? who.identity ?? '';
    // Counted per account: every spelling of an existing account (email, username) shares one counter.
    const user = await this.find(who);
    await this.limits.attempt(user, typed, ip);
    return this.check(user, password);
  }

  /** Re-authentication of a signed-in user (/verify): counted against the same account as its logins. */
  async reauthenticate(user: U, password: string, ip: string): Promise<U | null> {
    await this.limits.attempt(user, user.email, ip);
    return this.check(user, password);
  }

  /** Whether this user may sign in at all (active; confirmed when confirmation is required). */
  maySignIn(user: SecurityUser): boolean {
    if (!user.active) return false;
    return !(this.options.confirmable && !this.options.loginWithoutConfirmation && !user.confirmedAt);
  }

  private async find(who: PasswordIdentity): Promise<U | null> {
    if (who.username !== undefined) return this.options.usernameEnable ? this.datastore.findUser({ username: who.username }) : null;
    if (who.email !== undefined) return this.datastore.findUser({ email: who.email });
    if (who.identity === undefined) return null;
    return this.options.usernameEnable ? this.datastore.findUserByIdentity(who.identity) : this.datastore.findUser({ email: who.identity });
  }

  private async check(user: U | null, password: string): Promise<U | null> {
    const stored = user?.password || null;
    const against = stored ?? (await this.dummy());
    const verified = await this.timingFloor.padded(costClassOf(against), () => this.hasher.verify(password, against));
    if (!user || !stored || !verified || !this.maySignIn(user)) return null;
    await this.limits.succeeded(user);
    if (this.hasher.needsUpdate(stored)) await this.rehash(user, password);
    return user;
  }

  private async rehash(user: U, password: string): Promise<void> {
    try {
      user.password = await this.hasher.hash(password);
      await this.datastore.saveUser(user);
    } catch (error) {
      // The sign-in itself is good; the old hash keeps working.
      this.logger.warn(`could not rehash the password of user ${user.id}: ${(error as Error).message}`);
    }
  }

  private dummy(): Promise<string> {
    return (this.dummyHash ??= this.hasher.hash(randomBytes(24).toString('base64url')));
  }
}
