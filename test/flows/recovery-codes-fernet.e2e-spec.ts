import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { Fernet } from '../../src/core/fernet/index.js';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { SECURITY_DATA_SOURCE } from '../../src/security.constants.js';
import { resolveSecurityOptions, SecurityOptionsError } from '../../src/security.options.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { cookiesOf, createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
/** Flask-Security 5.1.2's tf_totp_secret rows (make_totp_fixtures.py): a user with an authenticator, so sign-in has a second step. */
const TOTP_ROW = fixture<{ rows: Array<{ secrets: Record<string, string> | null; stored: string }> }>('totp.json').rows.find(
  (row) => row.secrets?.['1'] && !row.secrets['2'],
)!;
/** Recovery codes as Flask-Security 5.1.2 stored them with MULTI_FACTOR_RECOVERY_CODES_KEYS (make_fernet_fixtures.py). */
const FLASK = fixture<{ recoveryCodes: Array<{ note: string; keys: string[]; codes: string[]; stored: string[] }> }>(
  'fernet.json',
).recoveryCodes;
const UNDER_KEY_1 = FLASK.find((row) => row.note === 'create_recovery_codes under [key 1]')!;
const UNDER_KEY_2 = FLASK.find((row) => row.note === 'create_recovery_codes under [key 2, key 1]')!;
/** The migrated app's keys after its rotation: key 2 first (primary), key 1 still read. */
const KEYS = UNDER_KEY_2.keys;

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'a long enough passphrase';

  describe('recovery codes Flask-Security encrypted (multiFactorRecoveryCodesKeys, real PostgreSQL)', () => {
    let flows: FlowsApp;
    let dataSource: DataSource;
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp(
        {
          twoFactor: true,
          totpSecrets: TOTP_ROW.secrets!,
          multiFactorRecoveryCodes: true,
          multiFactorRecoveryCodesKeys: KEYS,
          limits: { perAccount: { max: 1000 }, perIp: { max: 10_000 } },
        },
        platform,
      );
      dataSource = flows.app.get(SECURITY_DATA_SOURCE);
    });
    afterAll(() => flows?.close());

    /** A migrated user: Flask-Security's authenticator row and its recovery-code column as they were. */
    const migratedUser = async (stored: string[]): Promise<SecurityUser> => {
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      const email = `fernet${++seq}-${platform}@example.com`;
      const user = await flows.datastore.createUser({ email, password, confirmedAt: new Date() });
      await dataSource.query(
        `UPDATE "user" SET tf_primary_method = 'authenticator', tf_totp_secret = $2, mf_recovery_codes = $3 WHERE id = $1`,
        [user.id, TOTP_ROW.stored, stored.join(',')],
      );
      return user;
    };
    const storedCodes = async (user: SecurityUser): Promise<string[]> => {
      const [row] = await dataSource.query('SELECT mf_recovery_codes FROM "user" WHERE id = $1', [user.id]);
      return row.mf_recovery_codes ? (row.mf_recovery_codes as string).split(',') : [];
    };
    const pendingSignIn = async (user: SecurityUser) => {
      const answer = await request(flows.server).post('/auth/login').send({ email: user.email, password: PASSWORD });
      expect(answer.body).toMatchObject({ tf_required: true });
      return cookiesOf(answer.headers['set-cookie']);
    };
    const recover = async (user: SecurityUser, code: string) =>
      request(flows.server)
        .post('/auth/mf-recovery')
        .set('Cookie', await pendingSignIn(user))
        .send({ code });

    it.each([
      ['made under key 1 (before the rotation)', UNDER_KEY_1],
      ['made under key 2 (the primary now)', UNDER_KEY_2],
    ])('codes %s sign in, each once; the other entries stay as Flask-Security wrote them', async (_when, row) => {
      const user = await migratedUser(row.stored);
      const used = await recover(user, row.codes[2]!);
      expect(used.status).toBe(200);
      expect(used.body.user).toMatchObject({ id: user.id });
      await request(flows.server).get('/auth/me').set('Cookie', cookiesOf(used.headers['set-cookie'])).expect(200);
      // The entry used is gone; the rest are byte for byte Flask-Security's tokens (Flask-Security reads the row still).
      expect(await storedCodes(user)).toEqual(row.stored.filter((_entry, index) => index !== 2));
      const again = await recover(user, row.codes[2]!);
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 400, code: 'INVALID_CODE' });
      // Typed in capitals and with spaces around, as a user reads it off paper.
      expect((await recover(user, ` ${row.codes[0]!.toUpperCase()} `)).status).toBe(200);
      expect(await storedCodes(user)).toHaveLength(row.stored.length - 2);
    });

    it('a tampered entry, or one of a key the app does not have, is a clear 400 and never a 500', async () => {
      const [first, , third] = UNDER_KEY_2.stored;
      const tampered = `${first!.slice(0, 30)}${first![30] === 'A' ? 'B' : 'A'}${first!.slice(31)}`;
      const stranger = new Fernet(Fernet.generateKey()).encrypt(UNDER_KEY_2.codes[1]!);
      const user = await migratedUser([tampered, stranger, third!]);
      // The codes of the broken entries, and the entries themselves typed as codes (the DTO caps their length).
      for (const code of [UNDER_KEY_2.codes[0]!, UNDER_KEY_2.codes[1]!, tampered.slice(0, 32), stranger.slice(0, 32)]) {
        const answer = await recover(user, code);
        expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'INVALID_CODE' });
      }
      expect(await storedCodes(user)).toEqual([tampered, stranger, third]);
      // The entry that decrypts still works.
      expect((await recover(user, UNDER_KEY_2.codes[2]!)).status).toBe(200);
      expect(await storedCodes(user)).toEqual([tampered, stranger]);
    });

    it('new codes are stored as Flask-Security stores them: Fernet tokens of the primary key, each its code', async () => {
      const user = await migratedUser([]);
      await dataSource.query(`UPDATE "user" SET tf_primary_method = NULL, tf_totp_secret = NULL WHERE id = $1`, [user.id]);
      const login = await request(flows.server).post('/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
      const generated = await request(flows.server)
        .post('/auth/mf-recovery-codes')
        .set('Cookie', cookiesOf(login.headers['set-cookie']))
        .set('X-XSRF-Token', login.body.csrf_token)
        .send({});
      expect(generated.status).toBe(200);
      const codes: string[] = generated.body.recovery_codes;
      const stored = await storedCodes(user);
      expect(stored).toHaveLength(5);
      const primary = new Fernet(KEYS[0]!);
      expect(stored.map((entry) => primary.decrypt(entry).toString())).toEqual(codes);
      // And they sign in, once the user has a second factor.
      await dataSource.query(`UPDATE "user" SET tf_primary_method = 'authenticator', tf_totp_secret = $2 WHERE id = $1`, [
        user.id,
        TOTP_ROW.stored,
      ]);
      expect((await recover(user, codes[3]!)).status).toBe(200);
      expect(await storedCodes(user)).toEqual(stored.filter((entry) => entry !== stored[3]));
    });
  });
});

describe('multiFactorRecoveryCodesKeys at start-up', () => {
  const base = { secretKey: 'x'.repeat(40), testing: true };

  it.each([[['not a key']], [[Buffer.alloc(32).toString('base64url')]], ['a string, not a list'], [[KEYS[0], 42]]])(
    'refuses %j with the reason',
    (keys) => {
      expect(() => resolveSecurityOptions({ ...base, multiFactorRecoveryCodesKeys: keys as string[] })).toThrow(SecurityOptionsError);
      expect(() => resolveSecurityOptions({ ...base, multiFactorRecoveryCodesKeys: keys as string[] })).toThrow(
        /multiFactorRecoveryCodesKeys/,
      );
    },
  );

  it("takes Python's keys", () => {
    expect(resolveSecurityOptions({ ...base, multiFactorRecoveryCodesKeys: KEYS }).multiFactorRecoveryCodesKeys).toEqual(KEYS);
  });
});
