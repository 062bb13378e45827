import request from 'supertest';
import { createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const ROUTES: Array<[method: 'post' | 'get', path: string]> = [
    ['post', '/auth/register'],
    ['post', '/auth/confirm'],
    ['post', '/auth/reset'],
    ['post', '/auth/reset/some.token.value'],
    ['post', '/auth/recover-username'],
  ];

  describe('malformed bodies (400, never 500)', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await createFlowsApp({}, platform);
    });
    afterAll(() => flows?.close());

    const bodies: Array<[label: string, contentType: string, body: string]> = [
      ['broken JSON', 'application/json', '{"email": "a@example.com", "password": '],
      ['a JSON array', 'application/json', '[1, 2, 3]'],
      ['a JSON string', 'application/json', '"hello"'],
      ['null', 'application/json', 'null'],
      ['numbers for strings', 'application/json', '{"email": 12, "password": 34}'],
      ['objects for strings', 'application/json', '{"email": {"$ne": null}, "password": ["x"]}'],
      ['an unknown field', 'application/json', '{"email": "a@example.com", "password": "a good passphrase", "is_admin": true}'],
      ['a NUL byte', 'application/json', '{"email": "a\\u0000@example.com", "password": "a good passphrase"}'],
      ['an overlong email', 'application/json', JSON.stringify({ email: `${'a'.repeat(300)}@example.com`, password: 'a good passphrase' })],
      ['an overlong password', 'application/json', JSON.stringify({ email: 'a@example.com', password: 'p'.repeat(5000) })],
      ['an empty body', 'application/json', ''],
      ['form encoding', 'application/x-www-form-urlencoded', 'email=a%40example.com&password[]=x'],
      ['plain text', 'text/plain', 'email=a@example.com'],
    ];

    it.each(ROUTES)('%s %s', async (method, path) => {
      for (const [label, contentType, body] of bodies) {
        const answer = await request(flows.server)[method](path).set('Content-Type', contentType).send(body);
        expect({ label, status: answer.status }).toEqual({ label, status: 400 });
        expect(answer.body).toMatchObject({
          statusCode: 400,
          code: expect.stringMatching(/^(VALIDATION_ERROR|MALFORMED_BODY|INVALID_TOKEN|CSRF_FAILED)$/),
        });
        expect(JSON.stringify(answer.body)).not.toContain('a good passphrase');
      }
    });

    it('rejects unknown fields by name', async () => {
      const answer = await request(flows.server)
        .post('/auth/register')
        .send({ email: 'x@example.com', password: 'a good passphrase', roles: ['admin'] });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toHaveProperty('roles');
      expect(await flows.datastore.findUser({ email: 'x@example.com' })).toBeNull();
    });

    it('accepts a csrf_token field in the body, as Flask-Security front ends send it', async () => {
      const answer = await request(flows.server).post('/auth/reset').send({ email: 'x@example.com', csrf_token: 'abc' });
      expect(answer.status).toBe(200);
    });
  });

  describe('feature switches', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await createFlowsApp(
        {
          registerable: false,
          confirmable: false,
          recoverable: false,
          changeable: false,
          changeEmail: false,
          usernameEnable: false,
          usernameRecovery: true,
        },
        platform,
      );
    });
    afterAll(() => flows?.close());

    it('answers 404 for every flow that is off', async () => {
      const calls = [
        request(flows.server).post('/auth/register').send({ email: 'a@example.com', password: 'a good passphrase' }),
        request(flows.server).post('/auth/confirm').send({ email: 'a@example.com' }),
        request(flows.server).get('/auth/confirm/token'),
        request(flows.server).post('/auth/reset').send({ email: 'a@example.com' }),
        request(flows.server).get('/auth/reset/token'),
        request(flows.server).post('/auth/reset/token').send({ password: 'a good passphrase' }),
        request(flows.server).get('/auth/change-email/token'),
        // usernameRecovery needs usernameEnable too
        request(flows.server).post('/auth/recover-username').send({ email: 'a@example.com' }),
        // two-factor is off by default
        request(flows.server).post('/auth/tf-validate').send({ code: '123456' }),
        request(flows.server).get('/auth/tf-setup'),
        request(flows.server).post('/auth/tf-setup/token').send({ code: '123456' }),
        request(flows.server).post('/auth/mf-recovery').send({ code: '1a2b-3c4d-5e6f' }),
      ];
      for (const [i, answer] of (await Promise.all(calls)).entries()) {
        expect({ call: i, status: answer.status }).toEqual({ call: i, status: 404 });
        expect(answer.body.code).toBe('NOT_FOUND');
      }
      expect(await flows.datastore.findUser({ email: 'a@example.com' })).toBeNull();
    });
  });
});
