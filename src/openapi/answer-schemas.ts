import type { SchemaObject } from '@nestjs/swagger';
import type { AnswerKind } from './route-descriptions.js';

/**
 * The schemas of nest-security's answers, added to the document's
 * `components.schemas` under these names (prefixed, so they do not meet an
 * app's own) and referenced by the operations.
 */
export const ANSWER_SCHEMAS: Record<string, SchemaObject> = {
  SecurityUser: {
    type: 'object',
    description: 'The user as the JSON API shows it.',
    properties: {
      id: { type: 'integer' },
      email: { type: 'string', format: 'email' },
      roles: { type: 'array', items: { type: 'string' } },
    },
    required: ['id', 'email', 'roles'],
  },
  SecuritySignedIn: {
    type: 'object',
    description: 'The answer to a sign-in; a session cookie is set too.',
    properties: {
      user: { $ref: '#/components/schemas/SecurityUser' },
      csrf_token: { type: 'string', description: "The session's CSRF token: send it back in the X-XSRF-Token header or as `csrf_token`." },
      authentication_token: {
        type: 'string',
        description: 'With `?include_auth_token`: send it as `Authentication-Token` or `Authorization: Bearer`.',
      },
      refresh_token: {
        type: 'string',
        description: 'With the auth token, when refresh tokens are on (in a cookie instead with refreshTokens.cookieName).',
      },
    },
    required: ['user'],
  },
  SecurityMessage: {
    type: 'object',
    properties: { message: { type: 'string' } },
    required: ['message'],
  },
  SecurityError: {
    type: 'object',
    description: "Every error's shape: a stable `code`, field errors under `errors` for 400 VALIDATION_ERROR.",
    properties: {
      statusCode: { type: 'integer' },
      error: { type: 'string' },
      message: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      code: { type: 'string', example: 'VALIDATION_ERROR' },
      errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    },
    required: ['statusCode', 'error', 'message', 'code'],
  },
};

const ref = (name: keyof typeof ANSWER_SCHEMAS): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;

/** The 200 answer of each kind of route: its schema and description. */
export const ANSWERS: Record<AnswerKind, { description: string; schema?: SchemaObject }> = {
  signIn: { description: 'Signed in', schema: ref('SecuritySignedIn') },
  message: {
    description: 'Done (the same answer for known and unknown accounts where responses are generic)',
    schema: ref('SecurityMessage'),
  },
  messageOrSignIn: {
    description: 'Done; `user` and the tokens too when it signs the user in',
    schema: {
      type: 'object',
      properties: { message: { type: 'string' }, ...ANSWER_SCHEMAS.SecuritySignedIn!.properties },
      required: ['message'],
    },
  },
  messageAndSignIn: { description: 'Done, and signed in', schema: { allOf: [ref('SecurityMessage'), ref('SecuritySignedIn')] } },
  user: { description: 'The signed-in user', schema: { type: 'object', properties: { user: ref('SecurityUser') }, required: ['user'] } },
  csrf: {
    description: "The session's CSRF token (null without a session)",
    schema: { type: 'object', properties: { csrf_token: { type: 'string', nullable: true } }, required: ['csrf_token'] },
  },
  token: {
    description: 'Done; a new auth token with `?include_auth_token`',
    schema: { type: 'object', properties: { authentication_token: { type: 'string' } } },
  },
  sessions: {
    description: "The caller's sessions, the most recently seen first",
    schema: {
      type: 'object',
      properties: {
        sessions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              device: { type: 'string', description: 'From the user agent' },
              ip: { type: 'string', nullable: true },
              created_at: { type: 'string', format: 'date-time' },
              last_seen_at: { type: 'string', format: 'date-time' },
              current: { type: 'boolean', description: 'The session of this request' },
            },
            required: ['id', 'device', 'ip', 'created_at', 'last_seen_at', 'current'],
          },
        },
      },
      required: ['sessions'],
    },
  },
  ended: {
    description: 'How many sessions ended',
    schema: { type: 'object', properties: { ended: { type: 'integer' } }, required: ['ended'] },
  },
  empty: { description: 'Done', schema: { type: 'object' } },
  link: {
    description: 'JSON (`Accept: application/json`): the outcome, `code` says which; a browser is redirected (302) to the configured page',
    schema: { type: 'object', properties: { code: { type: 'string' } } },
  },
  object: { description: 'Done', schema: { type: 'object' } },
};
