import { QueryFailedError } from 'typeorm';
import { toSecurityErrorResponse } from './security-exception.filter.js';
import { isStoreUnavailableError, StoreUnavailableException } from './store-unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isStoreUnavailableError', () => {
  it.each([
    ['pg refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['socket reset', withCode('ECONNRESET', 'read ECONNRESET')],
    ['admin shutdown', withCode('57P01', 'terminating connection due to administrator command')],
    ['connection class 08', withCode('08006', 'connection failure')],
    ['pg terminated', new Error('Connection terminated unexpectedly')],
    ['pg-pool timeout', new Error('timeout exceeded when trying to connect')],
    ['ioredis closed', new Error('Connection is closed.')],
    [
      'ioredis retries',
      Object.assign(new Error('Reached the max retries per request limit (which is 20).'), { name: 'MaxRetriesPerRequestError' }),
    ],
    ['node AggregateError', new AggregateError([withCode('ECONNREFUSED')], '')],
    ['TypeORM wrapped', new QueryFailedError('SELECT 1', [], withCode('57P01'))],
    ['in a cause', new Error('lookup failed', { cause: new Error('Connection terminated unexpectedly') })],
  ])('recognises %s', (_name, error) => {
    expect(isStoreUnavailableError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('23505', 'duplicate key'))],
    ['a syntax error', withCode('42601', 'syntax error')],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an error', 'ECONNREFUSED'],
  ])('leaves %s alone', (_name, error) => {
    expect(isStoreUnavailableError(error)).toBe(false);
  });
});

describe('toSecurityErrorResponse of an unreachable store', () => {
  it('is 503 STORE_UNAVAILABLE with Retry-After and no detail of the cause', () => {
    const response = toSecurityErrorResponse(withCode('ECONNREFUSED', 'connect ECONNREFUSED 10.1.2.3:5432'));
    expect(response).toEqual({
      status: 503,
      body: {
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The service is temporarily unavailable; try again shortly',
        code: 'STORE_UNAVAILABLE',
      },
      headers: { 'Retry-After': '5' },
    });
    expect(toSecurityErrorResponse(new StoreUnavailableException()).status).toBe(503);
  });
});
