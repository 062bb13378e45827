import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * `import { ... } from 'nest-security'` from a script in the checkout, through
 * the package's `exports` map and the built dist/ (CI builds before testing).
 */
describe("the package's public import path", () => {
  it('resolves nest-security to dist/ and exposes the public API', () => {
    if (!existsSync(`${root}dist/index.js`)) throw new Error('dist/ is missing: run `npm run build` before the tests');
    const script = `
      import { URLSafeTimedSerializer, PasswordHasher, SecurityModule, SecurityGuard, AuthRequired, RolesRequired,
               UserDatastore, TokenStatusService, CurrentAuthentication, getAuthentication, securityMigrations } from 'nest-security';
      const s = new URLSafeTimedSerializer('secret', { salt: 'confirm-salt' });
      const names = [PasswordHasher, SecurityModule, SecurityGuard, AuthRequired, RolesRequired, UserDatastore, TokenStatusService,
                     CurrentAuthentication, getAuthentication]
        .map((value) => typeof value);
      console.log(JSON.stringify({ round: s.loads(s.dumps(['a', 1])), names, migrations: securityMigrations.length > 0 }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({ round: ['a', 1], names: Array(9).fill('function'), migrations: true });
  });
});
