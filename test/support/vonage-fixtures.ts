import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = path.resolve(__dirname, '../fixtures/vonage');

/** One webhook body Vonage published, by file name (see test/fixtures/vonage/SOURCES.md). */
export interface VonageFixture {
  name: string;
  body: Record<string, unknown>;
}

/** Every published body of one webhook, parsed fresh on each call so a test may change its copy. */
export function vonageFixtures(kind: 'inbound' | 'status'): VonageFixture[] {
  const dir = path.join(FIXTURES, kind);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.json$/, ''),
      body: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>,
    }));
}

/**
 * The fixture with its ends replaced: published examples use UK drama numbers, Messenger ids and RCS agent names,
 * none of which a test account owns. A v0.1 end keeps its object shape (`type`, and `number` or `id`).
 */
export function withEnds(body: Record<string, unknown>, ends: { to?: string; from?: string }, messageUuid: string) {
  const replaced: Record<string, unknown> = { ...body, message_uuid: messageUuid };
  for (const side of ['to', 'from'] as const) {
    const value = ends[side];
    if (value === undefined) continue;
    const current = body[side];
    replaced[side] =
      current !== null && typeof current === 'object'
        ? { type: (current as { type?: string }).type, number: value }
        : value;
  }
  return replaced;
}
