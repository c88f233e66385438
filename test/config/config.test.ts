import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_RATE_LIMITS } from '../../src/api/rate-limits';
import { DEFAULT_DATABASE_URL, loadConfig, readEnvironment } from '../../src/config';

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

  describe('webhook signature secrets', () => {
    const base = {
      VONAGE_API_KEY: 'mainkey1',
      VONAGE_API_SECRET: 'main-api-secret',
      VONAGE_SIGNATURE_SECRET: 'main-signature-secret-0123',
    };

    it('gives the main key VONAGE_SIGNATURE_SECRET and each listed subaccount its own secrets', () => {
      const config = loadConfig({
        ...base,
        VONAGE_SIGNATURE_SECRETS:
          'sub1:sub1-secret-0123456789abc, sub1:sub1-rotated-0123456789, mainkey1:main-previous-0123456789',
      });

      assert.deepEqual(config.vonage.signatureSecrets, {
        defaultSecrets: ['main-signature-secret-0123', 'main-previous-0123456789'],
        defaultApiKey: 'mainkey1',
        byApiKey: { sub1: ['sub1-secret-0123456789abc', 'sub1-rotated-0123456789'] },
      });
    });

    it('names every bad entry in one error without echoing a secret', () => {
      assert.throws(
        () =>
          loadConfig({
            ...base,
            VONAGE_SIGNATURE_SECRETS:
              'no-colon-here,sub1:short,sub2:a-long-enough-secret-1,sub2:a-long-enough-secret-2,sub2:a-long-enough-secret-3',
          }),
        (error: Error) =>
          /entry 1 is not api_key:secret/.test(error.message) &&
          /the secret of sub1 \(entry 2\) is shorter than 16/.test(error.message) &&
          /sub2 has 3 secrets; at most 2/.test(error.message) &&
          !/a-long-enough-secret/.test(error.message) &&
          !/short/.test(error.message.replace('shorter', '')),
      );
    });

    it('refuses a third secret for the main account', () => {
      assert.throws(
        () =>
          loadConfig({
            ...base,
            VONAGE_SIGNATURE_SECRETS: 'mainkey1:main-previous-0123456789,mainkey1:main-older-0123456789',
          }),
        /VONAGE_SIGNATURE_SECRETS: mainkey1 is VONAGE_API_KEY/,
      );
    });

    it('refuses the development default in VONAGE_SIGNATURE_SECRETS in production', () => {
      assert.throws(
        () =>
          loadConfig({
            ...base,
            NODE_ENV: 'production',
            PHONE_HASH_KEY: 'a-production-phone-hash-key',
            PAYLOAD_ENCRYPTION_KEYS: 'prod:cHJvZC1wYXlsb2FkLWtleS0zMi1ieXRlcyEhISEhISE=',
            VONAGE_SIGNATURE_SECRETS: 'sub1:sandbox-signature-secret-change-me-in-production',
          }),
        /VONAGE_SIGNATURE_SECRETS: production must not use the development default/,
      );
    });

    it('uses the sandbox key as the main key when no credentials are set', () => {
      const config = loadConfig({});

      assert.equal(config.vonage.signatureSecrets.defaultApiKey, 'sandbox');
      assert.deepEqual(config.vonage.signatureSecrets.defaultSecrets, [config.vonage.signatureSecret]);
    });
  });

  describe('local development defaults', () => {
    it('marks the database as the default, which make start may embed, when DATABASE_URL is unset or empty', () => {
      const unset = loadConfig({});
      const empty = loadConfig({ DATABASE_URL: '' });
      const set = loadConfig({ DATABASE_URL: 'postgres://app@db.internal:5432/sms_consent' });

      for (const config of [unset, empty]) {
        assert.equal(config.databaseUrl, DEFAULT_DATABASE_URL);
        assert.equal(config.isDefaultDatabase, true);
      }
      assert.equal(set.databaseUrl, 'postgres://app@db.internal:5432/sms_consent');
      assert.equal(set.isDefaultDatabase, false);
    });

    it('accepts LOG_FORMAT json, pretty and auto, defaults to auto, and refuses anything else', () => {
      assert.equal(loadConfig({}).logFormat, 'auto');
      assert.equal(loadConfig({ LOG_FORMAT: '' }).logFormat, 'auto');
      assert.equal(loadConfig({ LOG_FORMAT: 'json' }).logFormat, 'json');
      assert.equal(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
      assert.throws(() => loadConfig({ LOG_FORMAT: 'yaml' }), /LOG_FORMAT/);
    });

    it('reads .env under the environment when the file exists, and nothing when it does not', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'sms-consent-env-'));
      const file = path.join(dir, '.env');
      writeFileSync(file, 'SMS_CONSENT_TEST_FROM_FILE=file\nPATH=from-file\n');
      try {
        const env = readEnvironment(file);

        assert.equal(env.SMS_CONSENT_TEST_FROM_FILE, 'file');
        assert.equal(env.PATH, process.env.PATH, 'the environment wins over the file');
        assert.equal(readEnvironment(path.join(dir, 'missing.env')), process.env);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
