import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LookupAddress } from 'node:dns';
import {
  endpointUrlProblem,
  guardedLookup,
  resolvedAddressProblem,
  type EndpointUrlPolicy,
} from '../../src/events/endpoint-url';

/*
 * Where a CRM endpoint may point (src/events/endpoint-url.ts). Address ranges per IANA's special-purpose registries
 * (RFC 6890 for IPv4 and IPv6) as ipaddr.js classifies them; the rows below are one of each kind an attacker reaches
 * for: loopback, RFC 1918 private, link-local (cloud metadata at 169.254.169.254), CGNAT, IPv6 loopback and unique
 * local, and IPv4-mapped IPv6.
 */

const PRODUCTION: EndpointUrlPolicy = { isStrict: true, allowPrivate: false };
const PRODUCTION_PRIVATE_ALLOWED: EndpointUrlPolicy = { isStrict: true, allowPrivate: true };
const DEVELOPMENT: EndpointUrlPolicy = { isStrict: false, allowPrivate: true };

describe('event endpoint URLs', () => {
  const refusedInProduction = [
    'https://127.0.0.1/hooks',
    'https://localhost/hooks',
    'https://api.localhost/hooks',
    'https://10.0.0.5/hooks',
    'https://172.16.3.4/hooks',
    'https://192.168.1.10/hooks',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/hooks',
    'https://0.0.0.0/hooks',
    'https://[::1]/hooks',
    'https://[fd00::1]/hooks',
    'https://[::ffff:127.0.0.1]/hooks',
    'https://[::7f00:1]/hooks',
  ];

  for (const url of refusedInProduction) {
    it(`refuses ${url} in production`, () => {
      assert.match(endpointUrlProblem(url, PRODUCTION) ?? '', /private or loopback|this machine/);
    });
  }

  it('accepts a public https address in production, refuses plain http there', () => {
    assert.equal(endpointUrlProblem('https://93.184.216.34/hooks', PRODUCTION), undefined);
    assert.equal(endpointUrlProblem('https://crm.example.com/hooks', PRODUCTION), undefined);
    assert.equal(endpointUrlProblem('http://crm.example.com/hooks', PRODUCTION), 'url must be https in production');
  });

  it('lets configuration allow private addresses in production, still https only', () => {
    assert.equal(endpointUrlProblem('https://10.0.0.5/hooks', PRODUCTION_PRIVATE_ALLOWED), undefined);
    assert.equal(
      endpointUrlProblem('http://10.0.0.5/hooks', PRODUCTION_PRIVATE_ALLOWED),
      'url must be https in production',
    );
  });

  it('allows loopback over http in development and tests', () => {
    assert.equal(endpointUrlProblem('http://127.0.0.1:4000/hooks', DEVELOPMENT), undefined);
  });

  it('refuses what is not an http URL, or carries credentials, under any policy', () => {
    assert.equal(endpointUrlProblem('ftp://crm.example.com/', DEVELOPMENT), 'url must be http or https');
    assert.equal(endpointUrlProblem('not a url', DEVELOPMENT), 'url is not an absolute URL');
    assert.equal(endpointUrlProblem('https://u:p@crm.example.com/', DEVELOPMENT), 'url must not carry credentials');
  });

  it('checks the resolved addresses before a delivery: one private address among public ones is refused', async () => {
    const rebinding = async () => ['93.184.216.34', '10.0.0.5'];
    const publicOnly = async () => ['93.184.216.34', '2606:2800:220:1::248'];

    assert.equal(
      await resolvedAddressProblem('https://crm.example.com/hooks', PRODUCTION, rebinding),
      'crm.example.com resolves to a private or loopback address',
    );
    assert.equal(await resolvedAddressProblem('https://crm.example.com/hooks', PRODUCTION, publicOnly), undefined);
  });

  it('counts a name that does not resolve as a failed attempt, not a crash', async () => {
    const nowhere = async () => {
      throw new Error('getaddrinfo ENOTFOUND crm.invalid');
    };

    const problem = await resolvedAddressProblem('https://crm.invalid/hooks', PRODUCTION, nowhere);

    assert.equal(problem, 'cannot resolve crm.invalid: getaddrinfo ENOTFOUND crm.invalid');
  });

  it('checks inside the connection the address it connects to, so a rebinding answer after the check is refused', async () => {
    const answers: LookupAddress[][] = [
      [{ address: '93.184.216.34', family: 4 }],
      [{ address: '169.254.169.254', family: 4 }],
    ];
    let calls = 0;
    const rebinding = guardedLookup((_host, _options, callback) => callback(null, answers[calls++]!));
    const connect = (all: boolean) =>
      new Promise<{ error: Error | null; address: unknown }>((resolve) =>
        rebinding('crm.example.com', { all }, (error, address) => resolve({ error, address })),
      );

    const first = await connect(false);
    const second = await connect(true);

    assert.deepEqual(first, { error: null, address: '93.184.216.34' });
    assert.match(second.error?.message ?? '', /crm\.example\.com resolves to a private or loopback address/);
  });
});
