import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RATE_LIMITS } from '../../src/api/rate-limits';
import { loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('runs on embedded defaults against the sandbox when the environment is empty', () => {
    const config = loadConfig({});

    assert.equal(config.vonage.isSandbox, true);
    assert.equal(config.vonage.apiHost, 'http://127.0.0.1:3100');
    assert.equal(config.temporal.address, '127.0.0.1:7233');
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.vonage));
  });

  it('names every bad variable in one error when several are wrong', () => {
    const env = { PORT: 'eighty', DATABASE_URL: 'not a url', VONAGE_SIGNATURE_SECRET: 'short', LOG_LEVEL: 'loud' };

    assert.throws(
      () => loadConfig(env),
      (error: Error) => {
        for (const name of Object.keys(env)) assert.match(error.message, new RegExp(name));
        return true;
      },
    );
  });

  it('refuses development secrets and the sandbox in production', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production' }),
      (error: Error) =>
        /VONAGE_SIGNATURE_SECRET/.test(error.message) &&
        /PHONE_HASH_KEY/.test(error.message) &&
        /real Vonage credentials/.test(error.message),
    );
  });

  it('refuses half a credential pair', () => {
    assert.throws(() => loadConfig({ VONAGE_API_KEY: 'abc' }), /VONAGE_API_KEY and VONAGE_API_SECRET/);
  });

  it('uses real Vonage when credentials are set', () => {
    const config = loadConfig({ VONAGE_API_KEY: 'key', VONAGE_API_SECRET: 'secret' });

    assert.equal(config.vonage.isSandbox, false);
    assert.equal(config.vonage.apiHost, 'https://api.nexmo.com');
    assert.equal(config.vonage.apiKey, 'key');
  });

  it('keeps the built-in rate limits and the SDK cache default when the variables are unset or empty', () => {
    const unset = loadConfig({});
    const empty = loadConfig({
      API_RATE_LIMIT_PER_MINUTE: '',
      API_SENDS_RATE_LIMIT_PER_MINUTE: ' ',
      WORKER_MAX_CACHED_WORKFLOWS: '',
    });

    for (const config of [unset, empty]) {
      assert.deepEqual(config.rateLimits, DEFAULT_RATE_LIMITS);
      assert.equal(config.workerMaxCachedWorkflows, undefined);
    }
    assert.ok(Object.isFrozen(unset.rateLimits));
  });

  it('parses the rate limits and the worker cache size when they are whole numbers in range', () => {
    const config = loadConfig({
      API_RATE_LIMIT_PER_MINUTE: '1000000000',
      API_SENDS_RATE_LIMIT_PER_MINUTE: '1',
      WORKER_MAX_CACHED_WORKFLOWS: '2500',
    });

    assert.deepEqual(config.rateLimits, { apiPerMinute: 1_000_000_000, sendsPerMinute: 1 });
    assert.equal(config.workerMaxCachedWorkflows, 2500);
  });

  it('accepts a worker cache size of 0 when the cache is to be turned off', () => {
    const config = loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0' });

    assert.equal(config.workerMaxCachedWorkflows, 0);
  });

  for (const [name, bad] of [
    ['API_RATE_LIMIT_PER_MINUTE', ['0', '-5', '1.5', 'lots', '1000000001']],
    ['API_SENDS_RATE_LIMIT_PER_MINUTE', ['0', '-1', '2.5', 'many', '1e10']],
    ['WORKER_MAX_CACHED_WORKFLOWS', ['1', '-1', '2.5', 'all', '1000001']],
  ] as const) {
    it(`refuses ${name} naming the variable when the value is ${bad.join(', ')}`, () => {
      for (const value of bad) {
        assert.throws(
          () => loadConfig({ [name]: value }),
          (error: Error) => new RegExp(`^  ${name}: `, 'm').test(error.message),
          `${name}=${value}`,
        );
      }
    });
  }
});
