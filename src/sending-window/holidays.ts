/**
 * Holidays as computable rules, so a state rule that forbids sending on "legal holidays" can be checked for any year
 * without a yearly list to maintain.
 */

/** A calendar date without a time or zone, as the recipient's local calendar shows it. */
export interface LocalDate {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
}

/** One holiday, by the rule that places it in a given year. */
export type HolidayRule =
  | {
      kind: 'fixedDate';
      name: string;
      month: number;
      day: number;
      /**
       * When a fixed-date holiday falls on a weekend, governments observe it on a nearby weekday (5 U.S.C. 6103(b):
       * Saturday → Friday, Sunday → Monday; many states: Saturday or Sunday → Monday). `nearestWeekdays` blocks the
       * date itself and every one of those observed days, because which one a court would count is not settled.
       */
      observed: 'dateOnly' | 'nearestWeekdays';
    }
  | {
      kind: 'nthWeekday';
      name: string;
      month: number;
      /** 0 = Sunday … 6 = Saturday. */
      weekday: number;
      /** 1–4 for "first" to "fourth"; -1 for "last". */
      nth: 1 | 2 | 3 | 4 | -1;
    }
  | { kind: 'goodFriday'; name: string }
  | {
      /** The Tuesday after the first Monday in November (general election day). */
      kind: 'electionDay';
      name: string;
      evenYearsOnly: boolean;
    };

const MS_PER_DAY = 86_400_000;

const toEpochDay = (d: LocalDate): number => Math.floor(Date.UTC(d.year, d.month - 1, d.day) / MS_PER_DAY);

function fromEpochDay(epochDay: number): LocalDate {
  const date = new Date(epochDay * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Day of the week of a calendar date: 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (d: LocalDate): number => new Date(toEpochDay(d) * MS_PER_DAY).getUTCDay();

/** The calendar date `days` after `d` (negative goes back). */
export const addDays = (d: LocalDate, days: number): LocalDate => fromEpochDay(toEpochDay(d) + days);

function nthWeekdayOf(year: number, month: number, weekday: number, nth: 1 | 2 | 3 | 4 | -1): LocalDate {
  if (nth === -1) {
    const lastDay: LocalDate = fromEpochDay(toEpochDay({ year, month: month + 1, day: 1 }) - 1);
    return addDays(lastDay, -((weekdayOf(lastDay) - weekday + 7) % 7));
  }
  const first: LocalDate = { year, month, day: 1 };
  return addDays(first, ((weekday - weekdayOf(first) + 7) % 7) + (nth - 1) * 7);
}

/** Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, also known as Meeus/Jones/Butcher). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

/** Every date a rule blocks in `year` (observed days may spill into the neighbouring year, e.g. Friday 31 Dec). */
function datesOf(rule: HolidayRule, year: number): LocalDate[] {
  switch (rule.kind) {
    case 'fixedDate': {
      const date: LocalDate = { year, month: rule.month, day: rule.day };
      if (rule.observed === 'dateOnly') return [date];
      const weekday = weekdayOf(date);
      if (weekday === 6) return [date, addDays(date, -1), addDays(date, 2)];
      if (weekday === 0) return [date, addDays(date, 1)];
      return [date];
    }
    case 'nthWeekday':
      return [nthWeekdayOf(year, rule.month, rule.weekday, rule.nth)];
    case 'goodFriday':
      return [addDays(easterSunday(year), -2)];
    case 'electionDay':
      if (rule.evenYearsOnly && year % 2 !== 0) return [];
      return [addDays(nthWeekdayOf(year, 11, 1, 1), 1)];
  }
}

/** The name of the holiday that blocks `date` under `rules`, or undefined when none does. */
export function holidayOn(rules: readonly HolidayRule[], date: LocalDate): string | undefined {
  const target = toEpochDay(date);
  for (const rule of rules) {
    // A neighbouring year's observed day can land on this date (1 Jan on a Saturday is observed on 31 Dec).
    for (const year of [date.year - 1, date.year, date.year + 1]) {
      if (datesOf(rule, year).some((d) => toEpochDay(d) === target)) return rule.name;
    }
  }
  return undefined;
}

/** The US federal legal public holidays of 5 U.S.C. 6103(a), with weekend observance. */
export const FEDERAL_HOLIDAYS: readonly HolidayRule[] = [
  { kind: 'fixedDate', name: "New Year's Day", month: 1, day: 1, observed: 'nearestWeekdays' },
  { kind: 'nthWeekday', name: 'Birthday of Martin Luther King, Jr.', month: 1, weekday: 1, nth: 3 },
  { kind: 'nthWeekday', name: "Washington's Birthday", month: 2, weekday: 1, nth: 3 },
  { kind: 'nthWeekday', name: 'Memorial Day', month: 5, weekday: 1, nth: -1 },
  { kind: 'fixedDate', name: 'Juneteenth National Independence Day', month: 6, day: 19, observed: 'nearestWeekdays' },
  { kind: 'fixedDate', name: 'Independence Day', month: 7, day: 4, observed: 'nearestWeekdays' },
  { kind: 'nthWeekday', name: 'Labor Day', month: 9, weekday: 1, nth: 1 },
  { kind: 'nthWeekday', name: 'Columbus Day', month: 10, weekday: 1, nth: 2 },
  { kind: 'fixedDate', name: 'Veterans Day', month: 11, day: 11, observed: 'nearestWeekdays' },
  { kind: 'nthWeekday', name: 'Thanksgiving Day', month: 11, weekday: 4, nth: 4 },
  { kind: 'fixedDate', name: 'Christmas Day', month: 12, day: 25, observed: 'nearestWeekdays' },
];
