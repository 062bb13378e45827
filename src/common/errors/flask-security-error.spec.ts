import { HttpException } from '@nestjs/common';
import { flaskSecuritySuccess } from '../../http/response-shape.js';
import { FlaskSecurityShapedException, toFlaskSecurityError } from './flask-security-error.js';
import { inResponseShape, toSecurityErrorResponse } from './security-exception.filter.js';
import {
  ReauthRequiredException,
  SecurityException,
  TooManyAttemptsException,
  UnauthenticatedException,
  ValidationFailedException,
} from './security.exception.js';

const shaped = (exception: unknown) => toFlaskSecurityError(toSecurityErrorResponse(exception));

describe("Flask-Security's error envelope", () => {
  it('field errors: field_errors as given, every field message in errors', () => {
    const { status, body } = shaped(new ValidationFailedException({ email: ['bad address'], password: ['too short', 'too common'] }));
    expect(status).toBe(400);
    expect(body).toEqual({
      meta: { code: 400 },
      response: {
        code: 'VALIDATION_ERROR',
        field_errors: { email: ['bad address'], password: ['too short', 'too common'] },
        errors: ['bad address', 'too short', 'too common'],
      },
    });
  });

  it('other errors: the message in errors, no field_errors; extras and headers kept', () => {
    const expired = shaped(new SecurityException(400, 'EXPIRED_TOKEN', 'The link has expired', { resent: false }));
    expect(expired.body).toEqual({
      meta: { code: 400 },
      response: { resent: false, code: 'EXPIRED_TOKEN', errors: ['The link has expired'] },
    });
    const locked = shaped(new TooManyAttemptsException(30));
    expect(locked).toMatchObject({ status: 429, headers: { 'Retry-After': '30' }, body: { meta: { code: 429 } } });
    // Nest's own exceptions, with a list of messages.
    expect(shaped(new HttpException({ message: ['a', 'b'] }, 422)).body.response.errors).toEqual(['a', 'b']);
  });

  it('REAUTH_REQUIRED says reauth_required; EMAIL_IN_USE is a 400 as Flask-Security never answers 409', () => {
    expect(shaped(new ReauthRequiredException()).body.response).toMatchObject({ reauth_required: true, code: 'REAUTH_REQUIRED' });
    const taken = shaped(new SecurityException(409, 'EMAIL_IN_USE', 'That address is taken'));
    expect(taken.status).toBe(400);
    expect(taken.body.meta.code).toBe(400);
  });

  it('a 500 says no more in the envelope than in our shape', () => {
    expect(shaped(new TypeError('secret detail')).body).toEqual({
      meta: { code: 500 },
      response: { code: 'INTERNAL_ERROR', errors: ['Internal server error'] },
    });
  });

  it('inResponseShape wraps for throwers outside the filter; the filter unwraps it to the original', () => {
    const original = new UnauthenticatedException();
    expect(inResponseShape(original, 'nest-security')).toBe(original);
    const wrapped = inResponseShape(original, 'flask-security') as FlaskSecurityShapedException;
    expect(wrapped).toBeInstanceOf(FlaskSecurityShapedException);
    expect(wrapped.getStatus()).toBe(401);
    expect(wrapped.getResponse()).toEqual({ meta: { code: 401 }, response: { code: 'UNAUTHENTICATED', errors: [original.message] } });
    expect(inResponseShape(wrapped, 'flask-security')).toBe(wrapped);
    expect(toSecurityErrorResponse(wrapped)).toEqual(toSecurityErrorResponse(original));
  });
});

describe("Flask-Security's success envelope", () => {
  it('moves the auth and refresh tokens into response.user', () => {
    const body = { user: { id: 1, email: 'a@example.com', roles: [] }, csrf_token: 'c', authentication_token: 't', refresh_token: 'r' };
    expect(flaskSecuritySuccess(200, body)).toEqual({
      meta: { code: 200 },
      response: { user: { id: 1, email: 'a@example.com', roles: [], authentication_token: 't', refresh_token: 'r' }, csrf_token: 'c' },
    });
    // The caller's object is left as it was.
    expect(body.authentication_token).toBe('t');
    expect(flaskSecuritySuccess(200, { authentication_token: 't' }).response).toEqual({ user: { authentication_token: 't' } });
  });

  it('no body is an empty response', () => {
    expect(flaskSecuritySuccess(200, undefined)).toEqual({ meta: { code: 200 }, response: {} });
    expect(flaskSecuritySuccess(200, {})).toEqual({ meta: { code: 200 }, response: {} });
  });
});
