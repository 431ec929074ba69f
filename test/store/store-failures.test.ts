import { describe, expect, it } from 'vitest';
import { StoreError } from '../../core/errors.js';
import { isPostgresUnavailable, isRedisUnavailable, isStoreUnavailable, toStoreError } from '../../store/index.js';

/** What pg, pg-pool, Node and ioredis actually throw, reduced to the fields the classification reads. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('which failures mean "a store is unavailable"', () => {
  it.each([
    ['a restart (admin_shutdown)', pgError('57P01', 'terminating connection due to administrator command')],
    ['a crash of another backend', pgError('57P02', 'terminating connection because of crash of another server process')],
    ['a server starting up', pgError('57P03', 'the database system is starting up')],
    ['a connection exception (class 08)', pgError('08006', 'connection failure')],
    ['too many connections', pgError('53300', 'sorry, too many clients already')],
    ['a statement timeout', pgError('57014', 'canceling statement due to statement timeout')],
    ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', pgError('ECONNRESET', 'read ECONNRESET')],
    ['a connection that died mid-query', new Error('Connection terminated unexpectedly')],
    ['a connect timeout', new Error('Connection terminated due to connection timeout')],
    ['a pool that had no connection in time', new Error('timeout exceeded when trying to connect')],
    ['a client-side query timeout', new Error('Query read timeout')],
    ['a refusal on both ::1 and 127.0.0.1', Object.assign(new AggregateError([pgError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432')], ''), {})],
  ])('PostgreSQL: %s', (_what, error) => {
    expect(isPostgresUnavailable(error)).toBe(true);
    expect(isStoreUnavailable(error)).toBe(true);
    const mapped = toStoreError(error);
    expect(mapped).toBeInstanceOf(StoreError);
    expect(mapped).toMatchObject({ status: 503, code: 'store_error', store: 'durable', cause: error });
    expect((mapped as StoreError).message).not.toMatch(/postgres|ECONN|127\.0\.0\.1/i);
  });

  it.each([
    ['the retry limit', named('MaxRetriesPerRequestError', 'Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.')],
    ['no offline queue while disconnected', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['a closed connection', new Error('Connection is closed.')],
    ['a command timeout', new Error('Command timed out')],
    ['a server loading its data', named('ReplyError', 'LOADING Redis is loading the dataset in memory')],
  ])('Redis: %s', (_what, error) => {
    expect(isRedisUnavailable(error)).toBe(true);
    expect(toStoreError(error)).toMatchObject({ status: 503, store: 'hot' });
  });

  it.each([
    ['a unique violation', pgError('23505', 'duplicate key value violates unique constraint "people_pkey"')],
    ['a syntax error', pgError('42601', 'syntax error at or near "SELEC"')],
    ['a cancelled statement that is not a timeout', pgError('57014', 'canceling statement due to user request')],
    ['a wrong Redis command', named('ReplyError', 'ERR wrong number of arguments for ‘set’ command')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('not an outage: %s', (_what, error) => {
    expect(isStoreUnavailable(error)).toBe(false);
    expect(toStoreError(error)).toBe(error);
  });

  it('finds an outage in the cause of a wrapping error, and leaves a StoreError as it is', () => {
    const wrapped = new Error('checkpoint write failed', { cause: new Error('Connection terminated unexpectedly') });
    expect(isStoreUnavailable(wrapped)).toBe(true);
    const already = new StoreError('down', { store: 'hot' });
    expect(toStoreError(already)).toBe(already);
  });
});
