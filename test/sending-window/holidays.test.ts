import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { easterSunday, FEDERAL_HOLIDAYS, holidayOn } from '../../src/sending-window/holidays';
import { STATE_RULES, stateRuleOn } from '../../src/sending-window/state-rules';

describe('holidays', () => {
  it('computes Easter Sunday for known years', () => {
    assert.deepEqual(easterSunday(2025), { year: 2025, month: 4, day: 20 });
    assert.deepEqual(easterSunday(2026), { year: 2026, month: 4, day: 5 });
    assert.deepEqual(easterSunday(2027), { year: 2027, month: 3, day: 28 });
  });

  const federalCases = [
    [{ year: 2026, month: 1, day: 19 }, 'Birthday of Martin Luther King, Jr.'],
    [{ year: 2026, month: 5, day: 25 }, 'Memorial Day'],
    [{ year: 2026, month: 11, day: 26 }, 'Thanksgiving Day'],
    // 4 July 2026 is a Saturday: observed Friday 3 July (federal) and Monday 6 July (many states).
    [{ year: 2026, month: 7, day: 3 }, 'Independence Day'],
    [{ year: 2026, month: 7, day: 6 }, 'Independence Day'],
    // 1 January 2028 is a Saturday, observed on Friday 31 December 2027.
    [{ year: 2027, month: 12, day: 31 }, "New Year's Day"],
    [{ year: 2026, month: 7, day: 7 }, undefined],
  ] as const;

  for (const [date, name] of federalCases) {
    it(`names ${String(name)} on ${date.year}-${date.month}-${date.day}`, () => {
      assert.equal(holidayOn(FEDERAL_HOLIDAYS, date), name);
    });
  }
});

describe('STATE_RULES', () => {
  it('has one row per state, each with a source, every weekday and hours inside 08:00–21:00', () => {
    const states = STATE_RULES.map((rule) => rule.state);

    assert.equal(new Set(states).size, states.length);
    for (const rule of STATE_RULES) {
      assert.ok(rule.sources.length > 0 && rule.sources.every((s) => s.url.startsWith('http')), rule.state);
      assert.equal(Object.keys(rule.hours).length, 7, rule.state);
      for (const hours of Object.values(rule.hours)) {
        if (hours !== null) assert.ok(hours.start >= '08:00' && hours.end <= '21:00' && hours.start < hours.end);
      }
    }
  });

  it('starts a rule on its effective date, in the local calendar', () => {
    assert.equal(stateRuleOn('OR', '2025-12-31'), undefined);
    assert.equal(stateRuleOn('or', '2026-01-01')?.state, 'OR');
    assert.equal(stateRuleOn('NY', '2026-01-01'), undefined);
    assert.equal(stateRuleOn(undefined, '2026-01-01'), undefined);
  });
});
