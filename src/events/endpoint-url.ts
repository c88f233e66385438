import { lookup as lookupCallback, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { Agent } from 'undici';

/*
 * Where a CRM endpoint may point (docs/events.md). A service that posts to URLs its tenants choose must not become a
 * way into the network it runs in (server-side request forgery): in production an endpoint must be HTTPS on a public
 * address, checked when it is registered and again, after DNS, before every delivery, so a name that later
 * resolves to 10.0.0.5 or 127.0.0.1 is refused too. EVENT_ENDPOINTS_ALLOW_PRIVATE=true lifts the address rule (a CRM
 * on the same private network); development and tests allow any http(s) URL.
 */

export interface EndpointUrlPolicy {
  /** Production: HTTPS only and public addresses only, unless `allowPrivate`. */
  isStrict: boolean;
  allowPrivate: boolean;
}

export const PERMISSIVE_URL_POLICY: EndpointUrlPolicy = { isStrict: false, allowPrivate: true };

/** ipaddr.js's name for the ranges that are routable on the public internet. */
const PUBLIC_RANGE = 'unicast';

/** Why `url` may not be an endpoint under `policy`, or undefined when it may. Checks the URL's text only. */
export function endpointUrlProblem(url: string, policy: EndpointUrlPolicy): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url is not an absolute URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'url must be http or https';
  if (parsed.username || parsed.password) return 'url must not carry credentials';
  if (!policy.isStrict) return undefined;
  if (parsed.protocol !== 'https:') return 'url must be https in production';
  if (policy.allowPrivate) return undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'url must not point to this machine';
  if (ipaddr.isValid(host) && !isPublicAddress(host)) return 'url must not point to a private or loopback address';
  return undefined;
}

/** Every address a host name resolves to. */
export type ResolveHost = (host: string) => Promise<string[]>;

const resolveWithSystem: ResolveHost = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/**
 * Why the endpoint's host, resolved now, may not be posted to; undefined when it may. A name that does not resolve
 * is a problem too (the attempt fails and is retried). Every address must be public: a name with one public and one
 * private address could be steered to the private one.
 */
export async function resolvedAddressProblem(
  url: string,
  policy: EndpointUrlPolicy,
  resolve: ResolveHost = resolveWithSystem,
): Promise<string | undefined> {
  const problem = endpointUrlProblem(url, policy);
  if (problem || !policy.isStrict || policy.allowPrivate) return problem;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : await resolve(host);
  } catch (error) {
    return `cannot resolve ${host}: ${(error as Error).message}`;
  }
  const refused = addresses.find((address) => !isPublicAddress(address));
  return refused ? `${host} resolves to a private or loopback address` : undefined;
}

function isPublicAddress(address: string): boolean {
  const parsed = ipaddr.process(address);
  // IPv4-compatible IPv6 (::/96, e.g. ::7f00:1 for 127.0.0.1) is deprecated and reaches IPv4 hosts on some stacks;
  // ipaddr.js calls it unicast, so it is refused here by its first 96 bits.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0)) return false;
  return parsed.range() === PUBLIC_RANGE;
}

/** The resolver a connection uses, as node:net calls it (`all` set or not). */
type Lookup = (
  hostname: string,
  options: LookupOptions,
  callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/**
 * A resolver for delivery connections that refuses private and loopback addresses. The check before a delivery
 * (resolvedAddressProblem) resolves the name once and the connection would resolve it again: a name with a short TTL
 * could answer a public address to the first and 169.254.169.254 to the second (DNS rebinding). Checking inside
 * the connection's own lookup closes that gap: the address checked is the address connected to.
 */
export function guardedLookup(resolve: Lookup = lookupCallback as unknown as Lookup): Lookup {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, []);
      const addresses = found as LookupAddress[];
      const refused = addresses.find((entry) => !isPublicAddress(entry.address));
      if (refused || addresses.length === 0) {
        return callback(new Error(`${hostname} resolves to a private or loopback address`), []);
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * The HTTP agent deliveries go through: under the strict policy its connections resolve with guardedLookup. One
 * per worker process; its pool keeps connections to CRM endpoints alive between deliveries.
 */
export function deliveryAgent(policy: EndpointUrlPolicy): Agent {
  const isGuarded = policy.isStrict && !policy.allowPrivate;
  return new Agent(isGuarded ? { connect: { lookup: guardedLookup() } } : {});
}
