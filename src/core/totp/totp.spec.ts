import { readFileSync } from 'node:fs';
import {
  matchTotp,
  newTotpState,
  prettyTotpKey,
  totpCode,
  TotpSecrets,
  TotpSecretsError,
  totpStateFromJson,
  totpStateToJson,
  totpUri,
} from './index.js';

interface Row {
  note: string;
  secrets: Record<string, string> | null;
  stored: string;
  base32Key: string;
  prettyKey: string;
  uri: string;
  alg: string;
  digits: number;
  period: number;
  codes: Array<[number, string]>;
}
const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/totp.json', import.meta.url), 'utf8')) as {
  label: string;
  issuer: string;
  rows: Row[];
};

describe('TOTP state written by Flask-Security / passlib (test/fixtures/totp.json)', () => {
  it.each(fixture.rows.map((row) => [row.note, row] as const))(
    "%s: decrypts, and gives Python's key, URI and codes",
    async (_note, row) => {
      const secrets = row.secrets ? new TotpSecrets(row.secrets) : undefined;
      const state = await totpStateFromJson(row.stored, secrets);
      expect(prettyTotpKey(state)).toBe(row.prettyKey);
      expect(state).toMatchObject({ alg: row.alg, digits: row.digits, period: row.period });
      expect(totpUri(state, fixture.label, fixture.issuer)).toBe(row.uri);
      for (const [seconds, code] of row.codes) {
        expect(totpCode(state, seconds * 1000)).toBe(code);
        expect(matchTotp(state, code, { now: seconds * 1000, window: 0 })).toBe(Math.floor(seconds / row.period));
      }
    },
  );

  it('a row under an older tag still decrypts after rotation, and asks to be written again', async () => {
    const old = fixture.rows.find((row) => row.secrets && Object.keys(row.secrets).length === 1)!;
    const rotated = new TotpSecrets({ ...old.secrets, '2': 'a newer secret' });
    const state = await totpStateFromJson(old.stored, rotated);
    expect(prettyTotpKey(state)).toBe(old.prettyKey);
    expect(state.needsReencrypt).toBe(true);
    const rewritten = await totpStateToJson(state, rotated);
    expect(JSON.parse(rewritten).enckey.t).toBe('2');
    expect((await totpStateFromJson(rewritten, rotated)).needsReencrypt).toBe(false);
  });

  it('the wrong secret decrypts to another key (CTR has no oracle), and an unknown tag is refused', async () => {
    const row = fixture.rows.find((r) => r.secrets?.['1'] && !r.secrets['2'])!;
    const wrong = await totpStateFromJson(row.stored, new TotpSecrets({ '1': 'not the secret' }));
    expect(prettyTotpKey(wrong)).not.toBe(row.prettyKey);
    await expect(totpStateFromJson(row.stored, new TotpSecrets({ '7': 'x' }))).rejects.toThrow(TotpSecretsError);
    await expect(totpStateFromJson(row.stored)).rejects.toThrow(/no TOTP secrets/);
  });

  it('refuses malformed state with TotpSecretsError', async () => {
    const secrets = new TotpSecrets({ '1': 's' });
    for (const bad of [
      '',
      'null',
      '[]',
      '{"type":"hotp","v":1,"key":"AAAA"}',
      '{"type":"totp","v":2,"key":"AAAA"}',
      '{"type":"totp","v":1}',
      '{"type":"totp","v":1,"alg":"md5","key":"AAAA"}',
      '{"type":"totp","v":1,"enckey":{"v":1,"c":99,"t":"1","s":"AA","k":"AA"}}',
    ]) {
      await expect(totpStateFromJson(bad, secrets)).rejects.toThrow(TotpSecretsError);
    }
  });
});

describe('TOTP state written here', () => {
  it("round-trips, encrypted with the newest tag, in passlib's JSON spelling", async () => {
    const secrets = new TotpSecrets({ '1': 'a', '10': 'b', '9': 'c' });
    expect(secrets.defaultTag).toBe('10');
    const state = newTotpState();
    expect(state.key).toHaveLength(20);
    const json = await totpStateToJson(state, secrets);
    expect(json).toMatch(/^\{"enckey":\{"c":14,"k":"[A-Z2-7]+","s":"[A-Z2-7]+","t":"10","v":1\},"type":"totp","v":1\}$/);
    const back = await totpStateFromJson(json, secrets);
    expect(back.key.equals(state.key)).toBe(true);
    expect(back.needsReencrypt).toBe(false);
  });
});

describe('matchTotp', () => {
  const state = newTotpState();
  const now = 1_800_000_015_000;

  it('accepts the codes of one step either side by default, not two', () => {
    expect(matchTotp(state, totpCode(state, now - 30_000), { now })).not.toBeNull();
    expect(matchTotp(state, totpCode(state, now + 30_000), { now })).not.toBeNull();
    expect(matchTotp(state, totpCode(state, now - 60_000), { now })).toBeNull();
  });

  it('refuses a code whose step was already used (no reuse within the window)', () => {
    const step = matchTotp(state, totpCode(state, now), { now })!;
    expect(matchTotp(state, totpCode(state, now), { now, lastCounter: step })).toBeNull();
    expect(matchTotp(state, totpCode(state, now - 30_000), { now, lastCounter: step })).toBeNull();
    expect(matchTotp(state, totpCode(state, now + 30_000), { now, lastCounter: step })).toBe(step + 1);
  });

  it('refuses anything that is not the right number of digits', () => {
    for (const bad of ['', '12345', '1234567', 'abcdef', '12 34 5x']) expect(matchTotp(state, bad, { now })).toBeNull();
    expect(matchTotp(state, ` ${totpCode(state, now).replace(/^(\d{3})/, '$1 ')} `, { now })).not.toBeNull();
  });
});

describe('TotpSecrets', () => {
  it('refuses empty wallets, empty secrets and bad tags', () => {
    expect(() => new TotpSecrets({})).toThrow(TotpSecretsError);
    expect(() => new TotpSecrets({ '1': '' })).toThrow(TotpSecretsError);
    expect(() => new TotpSecrets({ 'a b': 'x' })).toThrow(TotpSecretsError);
  });
});

describe('TOTP state written here, as committed for Python (test/fixtures/node-totp.json)', () => {
  const node = JSON.parse(readFileSync(new URL('../../../test/fixtures/node-totp.json', import.meta.url), 'utf8')) as {
    secrets: Record<string, string>;
    rows: Array<{ stored: string; prettyKey: string; uri: string; codes: Array<[number, string]> }>;
  };
  // verify_node_totp.py checked these rows with Flask-Security; they must still read the same here.
  it.each(node.rows.map((row, i) => [i, row] as const))('row %i reads back with its key, URI and codes', async (_i, row) => {
    const state = await totpStateFromJson(row.stored, new TotpSecrets(node.secrets));
    expect(prettyTotpKey(state)).toBe(row.prettyKey);
    expect(totpUri(state, 'jane@example.com', 'Nest Demo')).toBe(row.uri);
    for (const [seconds, code] of row.codes) expect(totpCode(state, seconds * 1000)).toBe(code);
  });
});
