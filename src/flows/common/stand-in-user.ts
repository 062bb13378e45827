import type { PasswordHashScheme } from '../../core/passwords/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';

/**
 * Not real hashes, but each of the length and shape the scheme writes (97 and 60 characters): a
 * reset token hashes the stored password, and SHA-crypt's cost follows the
 * length of what it hashes, so the stand-in costs what a real user of the
 * configured scheme costs.
 */
const STAND_IN_PASSWORD: Record<PasswordHashScheme, string> = {
  argon2: '$argon2id$v=19$m=19456,t=2,p=1$c3RhbmQtaW4tc2FsdC4uLg$c3RhbmQtaW4taGFzaC1ub3QtYS1yZWFsLW9uZS4uLi4',
  bcrypt: '$2b$12$standInSaltstandInHashNotARealOneStandInHashNotAReal1',
};

/**
 * A user that does not exist, for doing the same work (minting a token, which
 * hashes) on the path of an unknown account as on the path of a known one.
 * `scheme`: the configured password scheme (options.passwordHash).
 */
export function standInUser(email: string, scheme: PasswordHashScheme = 'argon2'): SecurityUser {
  return {
    id: 0,
    email,
    username: null,
    password: STAND_IN_PASSWORD[scheme],
    active: true,
    fsUniquifier: '00000000000000000000000000000000',
    fsTokenUniquifier: null,
    confirmedAt: null,
  } as SecurityUser;
}
