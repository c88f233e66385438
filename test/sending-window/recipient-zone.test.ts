import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveRecipientZone, stateCodeOf } from '../../src/sending-window/recipient-zone';

describe('resolveRecipientZone', () => {
  const numberCases = [
    // [number, zones, state] from libphonenumber's own data
    ['+12125550123', ['America/New_York'], 'NY'],
    ['+13105550123', ['America/Los_Angeles'], 'CA'],
    ['+18085550123', ['Pacific/Honolulu'], 'HI'],
    ['+16025550123', ['America/Phoenix'], 'AZ'],
    ['+13055550123', ['America/New_York'], 'FL'],
  ] as const;

  for (const [e164, timeZones, state] of numberCases) {
    it(`finds ${timeZones.join(', ')} and ${state} for ${e164}`, async () => {
      const result = await resolveRecipientZone({ e164 });

      assert.deepEqual(result, { ok: true, timeZones, state, country: 'US', zoneSource: 'numberData' });
    });
  }

  it('returns both zones of area code 701 (North Dakota: Mountain and Central)', async () => {
    const result = await resolveRecipientZone({ e164: '+17015550123' });

    assert.ok(result.ok);
    assert.deepEqual([...result.timeZones].sort(), ['America/Denver', 'America/North_Dakota/Center']);
    assert.equal(result.state, 'ND');
  });

  it('lets an explicit timeZone beat the area code', async () => {
    const result = await resolveRecipientZone({ e164: '+12125550123', timeZone: 'America/Los_Angeles' });

    assert.ok(result.ok);
    assert.deepEqual(result.timeZones, ['America/Los_Angeles']);
    assert.equal(result.zoneSource, 'explicit');
    assert.equal(result.state, 'NY');
  });

  it('lets an explicit state beat the area code, by code or by name', async () => {
    const byCode = await resolveRecipientZone({ e164: '+12125550123', state: 'fl' });
    const byName = await resolveRecipientZone({ e164: '+12125550123', state: 'Texas' });

    assert.equal(byCode.ok && byCode.state, 'FL');
    assert.equal(byName.ok && byName.state, 'TX');
  });

  it('refuses an invalid timeZone, an unknown state and an invalid number', async () => {
    const zone = await resolveRecipientZone({ e164: '+12125550123', timeZone: 'Eastern' });
    const state = await resolveRecipientZone({ e164: '+12125550123', state: 'Ontario' });
    const number = await resolveRecipientZone({ e164: '+1212' });

    assert.equal(zone.ok ? undefined : zone.reason, 'invalidTimeZone');
    assert.equal(state.ok ? undefined : state.reason, 'invalidState');
    assert.equal(number.ok ? undefined : number.reason, 'invalidPhoneNumber');
  });

  const outsideUsCases = [
    // [test name, number, zones, country]: no US state outside the US
    ['gives a Canadian number its zone and no US state', '+14165550123', ['America/Toronto'], 'CA'],
    ['uses the country zone for a one-zone country (United Kingdom)', '+442071234567', ['Europe/London'], 'GB'],
  ] as const;

  for (const [name, e164, timeZones, country] of outsideUsCases) {
    it(name, async () => {
      const result = await resolveRecipientZone({ e164 });

      assert.deepEqual(result, { ok: true, timeZones, state: undefined, country, zoneSource: 'numberData' });
    });
  }

  it('returns every zone libphonenumber lists when the prefix does not narrow a multi-zone country (Russia)', async () => {
    const result = await resolveRecipientZone({ e164: '+79123456789' });

    assert.ok(result.ok);
    assert.ok(result.timeZones.length >= 1);
    assert.equal(result.country, 'RU');
  });

  it('keeps every NANP zone for a toll-free number, which has no location', async () => {
    const result = await resolveRecipientZone({ e164: '+18005550100' });

    assert.ok(result.ok);
    assert.ok(result.timeZones.includes('Pacific/Guam') && result.timeZones.includes('America/St_Johns'));
    assert.equal(result.state, undefined);
  });

  it('narrows a location-less US number to the US zones when the CRM gives its state', async () => {
    const result = await resolveRecipientZone({ e164: '+18005550100', state: 'TX' });

    assert.ok(result.ok);
    assert.equal(result.zoneSource, 'allUsZones');
    assert.ok(!result.timeZones.includes('Pacific/Guam'));
    assert.ok(result.timeZones.includes('Pacific/Honolulu') && result.timeZones.includes('America/New_York'));
  });
});

describe('stateCodeOf', () => {
  const cases = [
    ['New York, NY', 'NY'],
    ['Idaho', 'ID'],
    ['Washington State', 'WA'],
    ['Washington D.C.', 'DC'],
    ['Pocatello, ID', 'ID'],
    ['Montreal, QC', undefined],
    ['Ontario', undefined],
    [null, undefined],
  ] as const;

  for (const [description, code] of cases) {
    it(`reads ${String(code)} from ${JSON.stringify(description)}`, () => {
      assert.equal(stateCodeOf(description), code);
    });
  }
});
