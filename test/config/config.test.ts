import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
});
