import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';

/**
 * A user that does not exist, for doing the same work (minting a token, which
 * hashes) on the path of an unknown account as on the path of a known one.
 */
export function standInUser(email: string): SecurityUser {
  return {
    id: 0,
    email,
    username: null,
    password: '$argon2id$v=19$m=19456,t=2,p=1$c3RhbmQtaW4tc2FsdA$c3RhbmQtaW4taGFzaC1ub3QtYS1yZWFsLW9uZQ',
    active: true,
    fsUniquifier: '00000000000000000000000000000000',
    fsTokenUniquifier: null,
    confirmedAt: null,
  } as SecurityUser;
}
