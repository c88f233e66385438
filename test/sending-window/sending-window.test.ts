import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  computeSendingWindow,
  validateAccountWindow,
  type AccountWindow,
  type SendingWindowInput,
} from '../../src/sending-window/sending-window';
import { WEEKDAYS } from '../../src/sending-window/state-rules';

/** The send time of an allowed result, failing the test otherwise. */
function sendAtOf(input: SendingWindowInput): { isAllowedNow: boolean; sendAt: string } {
  const result = computeSendingWindow(input);
  assert.ok(result.ok, `expected a window, got ${JSON.stringify(result)}`);
  return { isAllowedNow: result.isAllowedNow, sendAt: result.sendAt.toISOString() };
}

/** Local wall time in a zone as 'YYYY-MM-DD HH:MM', for readable assertions. */
function wallTime(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value;
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

describe('computeSendingWindow', () => {
  const zoneCases = [
    // [zone, now (UTC), allowed now?, expected sendAt (UTC)]
    ['America/New_York', '2026-06-01T14:00:00Z', true, '2026-06-01T14:00:00.000Z'],
    ['America/New_York', '2026-06-01T11:59:00Z', false, '2026-06-01T12:00:00.000Z'],
    ['America/New_York', '2026-06-02T01:00:00Z', false, '2026-06-02T12:00:00.000Z'],
    ['America/Los_Angeles', '2026-06-01T14:00:00Z', false, '2026-06-01T15:00:00.000Z'],
    ['Pacific/Honolulu', '2026-06-01T17:00:00Z', false, '2026-06-01T18:00:00.000Z'],
    ['Pacific/Honolulu', '2026-06-01T18:00:00Z', true, '2026-06-01T18:00:00.000Z'],
    // Arizona keeps UTC-7 all year: 08:00 is 15:00 UTC in January and in July.
    ['America/Phoenix', '2026-01-15T14:00:00Z', false, '2026-01-15T15:00:00.000Z'],
    ['America/Phoenix', '2026-07-15T14:00:00Z', false, '2026-07-15T15:00:00.000Z'],
  ] as const;

  for (const [zone, now, isAllowedNow, sendAt] of zoneCases) {
    it(`answers ${sendAt} when it is ${now} in ${zone}`, () => {
      const result = sendAtOf({ now: new Date(now), timeZones: [zone] });

      assert.deepEqual(result, { isAllowedNow, sendAt });
    });
  }

  it('waits for 08:00 EDT on the spring-forward day (2026-03-08, New York)', () => {
    const now = new Date('2026-03-08T06:30:00Z'); // 01:30 EST, half an hour before the clocks jump

    const result = sendAtOf({ now, timeZones: ['America/New_York'] });

    assert.equal(result.sendAt, '2026-03-08T12:00:00.000Z');
    assert.equal(wallTime(new Date(result.sendAt), 'America/New_York'), '2026-03-08 08:00');
  });

  it('waits for 08:00 EST on the fall-back day (2026-11-01, New York)', () => {
    const now = new Date('2026-11-01T05:30:00Z'); // 01:30 EDT, before the repeated hour

    const result = sendAtOf({ now, timeZones: ['America/New_York'] });

    assert.equal(result.sendAt, '2026-11-01T13:00:00.000Z');
    assert.equal(wallTime(new Date(result.sendAt), 'America/New_York'), '2026-11-01 08:00');
  });

  it('closes at 21:00 local on the fall-back day', () => {
    const now = new Date('2026-11-02T02:00:00Z'); // 21:00 EST on 1 Nov

    const result = sendAtOf({ now, timeZones: ['America/New_York'] });

    assert.equal(result.isAllowedNow, false);
    assert.equal(result.sendAt, '2026-11-02T13:00:00.000Z');
  });

  it('allows 20:30 in Los Angeles although it is already 03:30 the next day in UTC', () => {
    const now = new Date('2026-06-02T03:30:00Z'); // 20:30 PDT on 1 June

    const result = sendAtOf({ now, timeZones: ['America/Los_Angeles'] });

    assert.deepEqual(result, { isAllowedNow: true, sendAt: '2026-06-02T03:30:00.000Z' });
  });

  it('moves a Los Angeles text at 21:30 local to 08:00 the next local day', () => {
    const now = new Date('2026-06-02T04:30:00Z'); // 21:30 PDT on 1 June

    const result = sendAtOf({ now, timeZones: ['America/Los_Angeles'] });

    assert.equal(wallTime(new Date(result.sendAt), 'America/Los_Angeles'), '2026-06-02 08:00');
  });

  it('requires every zone of a two-zone area code to be open (Denver and Central North Dakota)', () => {
    const now = new Date('2026-06-01T13:30:00Z'); // 08:30 CDT, but 07:30 MDT

    const result = sendAtOf({ now, timeZones: ['America/North_Dakota/Center', 'America/Denver'] });

    assert.equal(result.sendAt, '2026-06-01T14:00:00.000Z');
  });

  it('refuses Florida at 20:30 local and waits for 08:00', () => {
    const now = new Date('2026-06-02T00:30:00Z'); // 20:30 EDT on 1 June

    const result = sendAtOf({ now, timeZones: ['America/New_York'], state: 'FL' });

    assert.equal(result.isAllowedNow, false);
    assert.equal(wallTime(new Date(result.sendAt), 'America/New_York'), '2026-06-02 08:00');
  });

  it('allows 20:30 in New York, where only the federal window applies', () => {
    const now = new Date('2026-06-02T00:30:00Z');

    const result = sendAtOf({ now, timeZones: ['America/New_York'], state: 'NY' });

    assert.equal(result.isAllowedNow, true);
  });

  it('refuses Texas on Sunday at 10:00 until noon', () => {
    const now = new Date('2026-06-07T15:00:00Z'); // Sunday 10:00 CDT

    const result = sendAtOf({ now, timeZones: ['America/Chicago'], state: 'TX' });

    assert.equal(result.isAllowedNow, false);
    assert.equal(wallTime(new Date(result.sendAt), 'America/Chicago'), '2026-06-07 12:00');
  });

  it('applies the Texas rule only from 2025-09-01', () => {
    const now = new Date('2025-08-31T15:00:00Z'); // Sunday 10:00 CDT, the day before SB 140

    const result = sendAtOf({ now, timeZones: ['America/Chicago'], state: 'TX' });

    assert.equal(result.isAllowedNow, true);
  });

  it('applies the Oregon rule only from 2026-01-01', () => {
    const before = new Date('2025-12-31T04:30:00Z'); // 20:30 PST on 30 Dec 2025
    const after = new Date('2026-01-02T04:30:00Z'); // 20:30 PST on 1 Jan 2026

    assert.equal(sendAtOf({ now: before, timeZones: ['America/Los_Angeles'], state: 'OR' }).isAllowedNow, true);
    assert.equal(sendAtOf({ now: after, timeZones: ['America/Los_Angeles'], state: 'OR' }).isAllowedNow, false);
  });

  it('skips a Rhode Island holiday and the Sunday after it (Thanksgiving 2026)', () => {
    const now = new Date('2026-11-26T15:00:00Z'); // Thursday 10:00 EST, Thanksgiving

    const result = sendAtOf({ now, timeZones: ['America/New_York'], state: 'RI' });

    assert.equal(wallTime(new Date(result.sendAt), 'America/New_York'), '2026-11-27 09:00');
  });

  it('moves a Rhode Island Saturday evening text to Monday 09:00', () => {
    const now = new Date('2026-06-06T22:00:00Z'); // Saturday 18:00 EDT, after the 17:00 close

    const result = sendAtOf({ now, timeZones: ['America/New_York'], state: 'RI' });

    assert.equal(wallTime(new Date(result.sendAt), 'America/New_York'), '2026-06-08 09:00');
  });

  it('skips Good Friday in Pennsylvania (2027-03-26)', () => {
    const now = new Date('2027-03-26T14:00:00Z'); // Friday 10:00 EDT

    const result = sendAtOf({ now, timeZones: ['America/New_York'], state: 'PA' });

    assert.equal(wallTime(new Date(result.sendAt), 'America/New_York'), '2027-03-27 09:00');
  });

  it('holds Pennsylvania to 09:00–19:00 and no Sundays (SB 992, encoded on the safe side)', () => {
    const evening = new Date('2026-12-07T00:30:00Z'); // Sunday 19:30 EST
    const sunday = new Date('2026-12-06T15:00:00Z'); // Sunday 10:00 EST

    const afterSeven = sendAtOf({ now: evening, timeZones: ['America/New_York'], state: 'PA' });
    const onSunday = sendAtOf({ now: sunday, timeZones: ['America/New_York'], state: 'PA' });

    assert.equal(wallTime(new Date(afterSeven.sendAt), 'America/New_York'), '2026-12-07 09:00');
    assert.equal(wallTime(new Date(onSunday.sendAt), 'America/New_York'), '2026-12-07 09:00');
  });

  it('refuses Mississippi on Sundays', () => {
    const now = new Date('2026-06-07T15:00:00Z'); // Sunday 10:00 CDT

    const result = sendAtOf({ now, timeZones: ['America/Chicago'], state: 'MS' });

    assert.equal(wallTime(new Date(result.sendAt), 'America/Chicago'), '2026-06-08 08:00');
  });

  it("honours the account's no-send days and narrower hours", () => {
    const now = new Date('2026-06-06T14:00:00Z'); // Saturday 10:00 EDT
    const accountWindow: AccountWindow = { start: '10:30', end: '17:00', noSendDays: ['sat', 'sun'] };

    const result = sendAtOf({ now, accountWindow, timeZones: ['America/New_York'] });

    assert.equal(wallTime(new Date(result.sendAt), 'America/New_York'), '2026-06-08 10:30');
  });

  it('gives up with noWindowWithin14Days when the zones never share an open hour', () => {
    const now = new Date('2026-06-01T00:00:00Z');

    // A one-hour account window can never be open in two zones three hours apart.
    const result = computeSendingWindow({
      now,
      timeZones: ['America/New_York', 'America/Los_Angeles'],
      accountWindow: { start: '09:00', end: '10:00' },
    });

    assert.equal(result.ok, false);
    assert.equal(result.ok ? undefined : result.reason, 'noWindowWithin14Days');
  });

  it('refuses an unknown zone and a wider account window', () => {
    const now = new Date('2026-06-01T00:00:00Z');

    const badZone = computeSendingWindow({ now, timeZones: ['Mars/Olympus_Mons'] });
    const wide = computeSendingWindow({ now, timeZones: ['UTC'], accountWindow: { start: '07:00', end: '21:00' } });

    assert.equal(badZone.ok ? undefined : badZone.reason, 'invalidTimeZone');
    assert.equal(wide.ok ? undefined : wide.reason, 'invalidAccountWindow');
  });

  it('returns a sendAt inside the window in every zone and never before now (property)', () => {
    const zones = [
      'America/New_York',
      'America/Chicago',
      'America/Denver',
      'America/Phoenix',
      'America/Los_Angeles',
      'America/Anchorage',
      'Pacific/Honolulu',
      'Europe/London',
      'Australia/Lord_Howe',
      'America/St_Johns',
    ];
    const states = [undefined, 'FL', 'TX', 'RI', 'PA', 'MS', 'CT', 'NY'];
    const minutes = fc.integer({ min: 8 * 60, max: 21 * 60 });
    const arbitrary = fc.record({
      now: fc.date({
        min: new Date('2024-01-01T00:00:00Z'),
        max: new Date('2028-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      zones: fc.uniqueArray(fc.constantFrom(...zones), { minLength: 1, maxLength: 3 }),
      state: fc.constantFrom(...states),
      bounds: fc.tuple(minutes, minutes).filter(([a, b]) => a !== b),
      noSendDays: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { maxLength: 3 }),
    });
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

    fc.assert(
      fc.property(arbitrary, ({ now, zones: picked, state, bounds, noSendDays }) => {
        const accountWindow = {
          start: hhmm(Math.min(...bounds)),
          end: hhmm(Math.max(...bounds)),
          noSendDays,
        };
        const result = computeSendingWindow({ now, timeZones: picked, state, accountWindow });
        if (!result.ok) return result.reason === 'noWindowWithin14Days';
        assert.ok(result.sendAt.getTime() >= now.getTime());
        assert.equal(result.isAllowedNow, result.sendAt.getTime() === now.getTime());
        // Re-asking at sendAt must say "allowed now": the same rules, evaluated independently at that instant.
        const again = computeSendingWindow({ now: result.sendAt, timeZones: picked, state, accountWindow });
        assert.ok(again.ok && again.isAllowedNow, `not allowed at ${result.sendAt.toISOString()}`);
        for (const zone of picked) {
          const [, time] = wallTime(result.sendAt, zone).split(' ');
          assert.ok(time !== undefined && time >= accountWindow.start && time < accountWindow.end);
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('validateAccountWindow', () => {
  it('refuses a window wider than 08:00–21:00 and says why', () => {
    const result = validateAccountWindow({ start: '07:30', end: '21:00' });

    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /wider than 08:00–21:00.*47 CFR 64\.1200\(c\)\(1\)/);
  });

  it('refuses an end after 21:00', () => {
    assert.equal(validateAccountWindow({ start: '08:00', end: '21:01' }).ok, false);
  });

  it('accepts a narrower window', () => {
    assert.deepEqual(validateAccountWindow({ start: '09:15', end: '17:45', noSendDays: ['sun'] }), {
      ok: true,
      window: { start: '09:15', end: '17:45', noSendDays: ['sun'] },
    });
  });

  it('refuses start >= end', () => {
    const equal = validateAccountWindow({ start: '10:00', end: '10:00' });
    const inverted = validateAccountWindow({ start: '20:00', end: '09:00' });

    assert.match(equal.ok ? '' : equal.message, /must be earlier than end/);
    assert.match(inverted.ok ? '' : inverted.message, /must be earlier than end/);
  });

  it('refuses malformed times, unknown days and a week with no day left', () => {
    assert.equal(validateAccountWindow({ start: '8:00', end: '20:00' }).ok, false);
    assert.equal(validateAccountWindow({ start: '08:00', end: '20:00', noSendDays: ['xyz' as 'sun'] }).ok, false);
    assert.equal(validateAccountWindow({ start: '08:00', end: '20:00', noSendDays: [...WEEKDAYS] }).ok, false);
  });
});
