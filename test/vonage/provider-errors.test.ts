import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VetchError } from '@vonage/vetch';
import {
  PROVIDER_ERRORS,
  isCarrierOptOut,
  outcomeOfProviderError,
  providerErrorCode,
} from '../../src/vonage/provider-errors';
import { classifySendError, readProblemBody } from '../../src/vonage/sms-gateway';

/** A status callback's error as the v1 Messages API sends it: the code is the type's fragment and the title. */
function v1Error(code: number, detail = 'described in words') {
  return {
    type: `https://developer.vonage.com/api-errors/messages#${code}`,
    title: String(code),
    detail,
    instance: 'x',
  };
}

/** The error the SDK throws for a non-2xx answer: a VetchError holding the unread fetch Response. */
function sdkError(status: number, body?: unknown): VetchError {
  const response = new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
  return new VetchError(
    `Request failed with status code ${status}`,
    { url: 'https://api.nexmo.com/v1/messages' } as never,
    response,
  );
}

async function classify(status: number, body?: unknown) {
  const error = sdkError(status, body);
  return classifySendError(error, await readProblemBody(error));
}

describe('provider error table', () => {
  it('maps every listed code to the outcome in its row', () => {
    const expected: Record<number, string> = {
      1000: 'retry',
      1020: 'provider_refused',
      1050: 'provider_refused',
      1060: 'provider_auth_failed',
      1070: 'insufficient_balance',
      1120: 'provider_refused',
      1170: 'invalid_number',
      1190: 'invalid_number',
      1240: 'opted_out',
      1280: 'provider_refused',
      1300: 'invalid_number',
      1320: 'provider_refused',
      1330: 'provider_refused',
      1331: 'retry',
      1360: 'provider_refused',
      1420: 'provider_refused',
      1430: 'invalid_number',
      1460: 'provider_refused',
      1483: 'provider_refused',
    };

    const actual = Object.fromEntries(
      Object.entries(PROVIDER_ERRORS).map(([code, row]) => [
        code,
        row.outcome.kind === 'failed' ? row.outcome.reason : row.outcome.kind,
      ]),
    );

    assert.deepEqual(actual, Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v])));
    for (const row of Object.values(PROVIDER_ERRORS)) assert.ok(['V1', 'V01', 'V1+V01'].includes(row.source));
  });

  it('puts only code 1240 on Do Not Contact', () => {
    const optOutCodes = Object.keys(PROVIDER_ERRORS).filter((code) => isCarrierOptOut(v1Error(Number(code))));

    assert.deepEqual(optOutCodes, ['1240']);
  });

  it('does not read 1320 (message already sent) as an opt-out', () => {
    assert.equal(isCarrierOptOut(v1Error(1320, 'Message already sent')), false);
    assert.equal(isCarrierOptOut({ code: 1320, reason: 'Message already sent' }), false);
    assert.equal(
      isCarrierOptOut({ type: 'https://developer.nexmo.com/api-errors/messages#1320', title: '1320' }),
      false,
    );
  });

  it('reads the code from a v1 type URL, a v1 numeric title and a v0.1 code', () => {
    assert.equal(providerErrorCode(v1Error(1240)), 1240);
    assert.equal(providerErrorCode({ type: 'https://developer.nexmo.com/api-errors/messages-olympus#1240' }), 1240);
    assert.equal(providerErrorCode({ title: '1240', detail: 'x' }), 1240);
    assert.equal(providerErrorCode({ code: 1240, reason: 'Illegal Number' }), 1240);
    assert.equal(providerErrorCode({ code: '1240' }), 1240);
  });

  it('treats an opt-out in v0.1 {code, reason} as an opt-out', () => {
    assert.equal(isCarrierOptOut({ code: 1240, reason: 'Illegal Number' }), true);
  });

  it('never guesses from words when the error has no code', () => {
    for (const error of [
      { title: 'Opted out', detail: 'The number opted out' },
      { reason: 'opt-out' },
      { type: 'https://developer.vonage.com/api-errors#forbidden', title: 'Recipient opted out of this channel' },
      'opted out',
      null,
      undefined,
    ]) {
      assert.equal(isCarrierOptOut(error), false, JSON.stringify(error));
      assert.deepEqual(outcomeOfProviderError(error), { kind: 'failed', reason: 'provider_refused' });
    }
  });

  it('refuses with provider_refused when the code is not in the table', () => {
    assert.deepEqual(outcomeOfProviderError(v1Error(1340)), { kind: 'failed', reason: 'provider_refused' });
  });
});

describe('classifySendError', () => {
  it('fails with invalid_number when Vonage answers 422 with 1430 (invalid recipient)', async () => {
    const outcome = await classify(422, v1Error(1430, 'The `to` parameter is invalid'));

    assert.deepEqual(outcome, {
      kind: 'refused',
      reason: 'invalid_number',
      detail: { status: 422, code: 1430, title: '1430' },
    });
  });

  it('fails with provider_refused when Vonage answers 422 with 1150 (invalid params)', async () => {
    const outcome = await classify(422, { ...v1Error(1150), title: 'Invalid params' });

    assert.deepEqual(outcome, {
      kind: 'refused',
      reason: 'provider_refused',
      detail: { status: 422, code: 1150, title: 'Invalid params' },
    });
  });

  it('fails with provider_refused when a 4xx carries no problem body', async () => {
    assert.deepEqual(await classify(422), { kind: 'refused', reason: 'provider_refused', detail: { status: 422 } });
  });

  it('fails with insufficient_balance when Vonage answers 402 (low balance)', async () => {
    const outcome = await classify(402, {
      type: 'https://developer.vonage.com/api-errors/#low-balance',
      title: 'Low balance',
      detail: 'This request could not be performed due to your account balance being low.',
    });

    assert.deepEqual(outcome, { kind: 'refused', reason: 'insufficient_balance', detail: { status: 402 } });
  });

  it('fails with insufficient_balance when a 4xx carries code 1070', async () => {
    const outcome = await classify(422, v1Error(1070));

    assert.equal(outcome.kind === 'refused' && outcome.reason, 'insufficient_balance');
  });

  it('retries when Vonage answers 429 with 1000 (throttled)', async () => {
    const outcome = await classify(429, { ...v1Error(1000), title: 'Rate Limit Hit' });

    assert.equal(outcome.kind, 'not_sent_retryable');
  });

  it('retries when a 4xx carries a throttling code', async () => {
    assert.equal((await classify(422, v1Error(1000))).kind, 'not_sent_retryable');
    assert.equal((await classify(400, v1Error(1331))).kind, 'not_sent_retryable');
  });

  it('retries when Vonage answers 5xx whatever the body says', async () => {
    assert.equal((await classify(500, v1Error(1430))).kind, 'not_sent_retryable');
    assert.equal((await classify(503)).kind, 'not_sent_retryable');
  });

  it('fails with provider_auth_failed when Vonage answers 401 or 403', async () => {
    for (const status of [401, 403]) {
      assert.deepEqual(await classify(status, { title: 'You did not provide correct credentials.' }), {
        kind: 'refused',
        reason: 'provider_auth_failed',
        detail: { status },
      });
    }
  });

  it('fails with opted_out, never guessing from the title, when a 4xx carries 1240', async () => {
    assert.equal((await classify(422, v1Error(1240))).kind === 'refused', true);
    assert.deepEqual((await classify(422, v1Error(1240))) as object, {
      kind: 'refused',
      reason: 'opted_out',
      detail: { status: 422, code: 1240, title: '1240' },
    });
    assert.equal(
      ((await classify(422, { title: 'Recipient opted out' })) as { reason?: string }).reason,
      'provider_refused',
    );
  });

  it('reads nothing when the body is not JSON', async () => {
    const error = new VetchError('failed', {} as never, new Response('<html>bad gateway</html>', { status: 422 }));

    assert.equal(await readProblemBody(error), undefined);
    assert.deepEqual(classifySendError(error, undefined), {
      kind: 'refused',
      reason: 'provider_refused',
      detail: { status: 422 },
    });
  });

  it('keeps the network classification when there was no HTTP answer', () => {
    const refused = Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const reset = Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNRESET' } });

    assert.deepEqual(classifySendError(refused), { kind: 'not_sent_retryable', detail: 'ECONNREFUSED' });
    assert.deepEqual(classifySendError(reset), { kind: 'outcome_unknown', detail: 'ECONNRESET' });
  });
});
