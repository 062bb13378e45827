import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const LOADED_MODULES = fileURLToPath(new URL('./package/loaded-modules.mjs', import.meta.url));

function requireDist(): void {
  if (!existsSync(`${root}dist/index.js`)) throw new Error('dist/ is missing: run `npm run build` before the tests');
}

/** The packages a fresh `node` process loads to import `specifier` (see test/package/loaded-modules.mjs). */
function packagesLoadedBy(specifier: string, ...flags: string[]): string[] {
  return JSON.parse(execFileSync(process.execPath, [LOADED_MODULES, specifier, ...flags], { cwd: root, encoding: 'utf8' }));
}

/** Optional peers and the demo's database: loaded only by an app that configures them. */
const OPTIONAL = [
  '@electric-sql/pglite',
  'typeorm-pglite',
  'ioredis',
  'nodemailer',
  '@nestjs/event-emitter',
  'eventemitter2',
  '@simplewebauthn/server',
  '@nestjs/swagger',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  '@nestjs/config',
  'otpauth',
  'qrcode',
];

/**
 * `import { ... } from 'nest-security'` (and its subpaths) from a script in the
 * checkout, through the package's `exports` map and the built dist/ (CI builds
 * before testing).
 */
describe("the package's import paths", () => {
  beforeAll(requireDist);

  it('nest-security is the Nest surface; the framework-free core and the TypeORM parts sit at their subpaths', () => {
    const script = `
      import * as main from 'nest-security';
      import * as signing from 'nest-security/signing';
      import * as passwords from 'nest-security/passwords';
      import * as typeorm from 'nest-security/typeorm';
      import * as testing from 'nest-security/testing';
      const s = new signing.URLSafeTimedSerializer('secret', { salt: 'confirm-salt' });
      console.log(JSON.stringify({
        round: s.loads(s.dumps(['a', 1])),
        main: Object.keys(main), signing: Object.keys(signing), passwords: Object.keys(passwords),
        typeorm: Object.keys(typeorm), testing: Object.keys(testing),
      }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }));
    expect(out.round).toEqual(['a', 1]);
    expect(out.main).toEqual(
      expect.arrayContaining([
        'SecurityModule',
        'SecurityGuard',
        'AuthRequired',
        'RolesRequired',
        'Public',
        'CurrentUser',
        'UserDatastore',
      ]),
    );
    expect(out.main).toEqual(
      expect.arrayContaining(['TokenStatusService', 'SecurityException', 'SecurityErrorCode', 'FlowEvent', 'Mailer']),
    );
    // Curated: tens of names, and none of the internals or the parts that have their own entry.
    expect(out.main.length).toBeLessThan(80);
    const internals = out.main.filter((name: string) =>
      /^MAX_|Dto$|Responder|^UserChangeNotify|Migration|^Security(User|Session)$|^URLSafe|^(Timestamp)?Signer$|^PasswordHasher$/.test(name),
    );
    expect(internals).toEqual([]);
    expect(out.signing).toEqual(
      expect.arrayContaining(['URLSafeTimedSerializer', 'TimestampSigner', 'Signer', 'BadSignature', 'SignatureExpired']),
    );
    expect(out.passwords).toEqual(expect.arrayContaining(['PasswordHasher', 'hashData', 'verifyHashDataAsync']));
    expect(out.typeorm).toEqual(
      expect.arrayContaining([
        'SecurityUser',
        'Role',
        'securityMigrations',
        'securityEntities',
        'TypeOrmUserDatastore',
        'createSecurityDataSource',
      ]),
    );
  });

  it('a CommonJS script require()s every entry point through the default condition', () => {
    const script = `
      const names = ['nest-security', 'nest-security/signing', 'nest-security/passwords', 'nest-security/typeorm', 'nest-security/testing']
        .map((entry) => Object.keys(require(entry)).length);
      console.log(JSON.stringify({ names, version: require('nest-security/package.json').version }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
    expect(out.names.slice(0, 4).every((count: number) => count > 0)).toBe(true);
    expect(out.version).toBe(JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version);
  });
});

describe('what importing the package loads', () => {
  beforeAll(requireDist);

  it('import "nest-security" loads no optional integration, no embedded database and no database driver', () => {
    const loaded = packagesLoadedBy('nest-security');
    // The recording sees what was loaded, ESM and CommonJS alike (typeorm is CommonJS).
    expect(loaded).toEqual(expect.arrayContaining(['@nestjs/core', '@nestjs/common', 'typeorm', 'class-validator']));
    expect(loaded.filter((name) => OPTIONAL.includes(name))).toEqual([]);
    // pg is a peer, but TypeORM loads it only when a PostgreSQL DataSource is made.
    expect(loaded.filter((name) => name === 'pg' || name.startsWith('pg-'))).toEqual([]);
  });

  it('pg is loaded once a PostgreSQL DataSource is made (the control that shows require() is recorded)', () => {
    expect(packagesLoadedBy('nest-security', '--postgres-data-source')).toEqual(expect.arrayContaining(['pg']));
  });

  it('nest-security/openapi is the one entry that loads @nestjs/swagger', () => {
    expect(packagesLoadedBy('nest-security/openapi')).toEqual(expect.arrayContaining(['@nestjs/swagger']));
  });

  it('nest-security/signing loads no package at all; /passwords only its hash libraries', () => {
    expect(packagesLoadedBy('nest-security/signing')).toEqual([]);
    const passwords = packagesLoadedBy('nest-security/passwords');
    expect(passwords.filter((name) => name.startsWith('@nestjs/') || name === 'typeorm' || name === 'pg')).toEqual([]);
  });
});

describe('the package.json an app installs', () => {
  const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

  it('has framework packages as peers, integrations as optional peers, and few dependencies of its own', () => {
    const peers = Object.keys(manifest.peerDependencies);
    for (const name of [
      '@nestjs/common',
      '@nestjs/core',
      '@nestjs/passport',
      '@nestjs/typeorm',
      'typeorm',
      'class-validator',
      'class-transformer',
      'reflect-metadata',
      'rxjs',
      'passport',
      'pg',
    ]) {
      expect(peers).toContain(name);
      expect(manifest.peerDependenciesMeta[name]?.optional).not.toBe(true);
      expect(manifest.dependencies[name]).toBeUndefined();
      expect(manifest.devDependencies[name]).toBeDefined(); // npm ci installs it for the tests
    }
    for (const name of [
      'ioredis',
      'nodemailer',
      '@nestjs/event-emitter',
      '@nestjs/swagger',
      '@simplewebauthn/server',
      '@nestjs/platform-express',
      '@nestjs/platform-fastify',
    ]) {
      expect(manifest.peerDependenciesMeta[name]).toEqual({ optional: true });
    }
    expect(Object.keys(manifest.dependencies).length).toBeLessThanOrEqual(5);
    for (const name of ['@electric-sql/pglite', 'typeorm-pglite', '@nestjs/config']) expect(manifest.dependencies[name]).toBeUndefined();
  });

  it('gives every entry point types, import and default targets that exist in dist/', () => {
    requireDist();
    for (const [entry, target] of Object.entries(manifest.exports)) {
      if (entry === './package.json') continue;
      const conditions = target as Record<string, string>;
      expect(Object.keys(conditions)).toEqual(['types', 'import', 'default']);
      for (const file of Object.values(conditions)) expect(existsSync(`${root}${file}`)).toBe(true);
    }
  });
});
