import { HttpException } from '@nestjs/common';
import { SecurityException, TooManyAttemptsException, ValidationFailedException } from './security.exception.js';
import { toSecurityErrorResponse } from './security-exception.filter.js';

describe('SecurityException', () => {
  it('is an HttpException whose body is { statusCode, error, message, code } plus extras', () => {
    const e = new ValidationFailedException({ email: ['bad'] });
    expect(e).toBeInstanceOf(HttpException);
    expect(e.getStatus()).toBe(400);
    expect(e.message).toBe('Validation failed');
    expect(e.getResponse()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      code: 'VALIDATION_ERROR',
      errors: { email: ['bad'] },
    });
  });

  it('extras cannot replace the four contract fields', () => {
    const e = new SecurityException(403, 'FORBIDDEN', 'no', { statusCode: 200, code: 'OK', hint: 'x' });
    expect(e.getResponse()).toEqual({ statusCode: 403, error: 'Forbidden', message: 'no', code: 'FORBIDDEN', hint: 'x' });
  });

  it('TooManyAttempts rounds Retry-After up to whole seconds, at least 1', () => {
    expect(new TooManyAttemptsException(0.2).headers).toEqual({ 'Retry-After': '1' });
    expect(new TooManyAttemptsException(59.01).retryAfter).toBe(60);
    expect(new TooManyAttemptsException().headers).toEqual({});
  });

  it('keeps a cause for the log without sending it', () => {
    const cause = new Error('row with hash $argon2id$...');
    const { body } = toSecurityErrorResponse(new SecurityException(400, 'INVALID_TOKEN', 'bad token', undefined, { cause }));
    expect(JSON.stringify(body)).not.toContain('argon2');
  });
});

describe('toSecurityErrorResponse', () => {
  it('adds error and code to a Nest built-in exception, keeping its message', () => {
    expect(toSecurityErrorResponse(new HttpException('Gone for good', 410)).body).toEqual({
      statusCode: 410,
      error: 'Gone',
      message: 'Gone for good',
      code: 'GONE',
    });
  });

  it('maps raw body-parser errors', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      statusCode: 413,
      expose: true,
      type: 'entity.too.large',
    });
    expect(toSecurityErrorResponse(tooLarge).body.code).toBe('PAYLOAD_TOO_LARGE');
    const unsupported = Object.assign(new Error('unsupported charset "X"'), {
      status: 415,
      statusCode: 415,
      expose: true,
      type: 'charset.unsupported',
    });
    expect(toSecurityErrorResponse(unsupported)).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('anything else is a bare 500', () => {
    expect(toSecurityErrorResponse(new TypeError('x is undefined'))).toEqual({
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', code: 'INTERNAL_ERROR' },
      headers: {},
    });
  });
});
