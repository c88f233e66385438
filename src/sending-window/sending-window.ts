/**
 * Quiet hours: when may a marketing text reach a recipient? Pure functions over `now`, the account's window, the
 * recipient's time zones and state. Every zone must be inside the window at once, because when a number could be in
 * several zones we cannot tell which one the recipient is in.
 */
import { holidayOn, type LocalDate } from './holidays';
import { stateRuleOn, WEEKDAYS, type LocalHours, type Weekday } from './state-rules';

/** The account's own sending window, in the recipient's local time. */
export interface AccountWindow {
  /** 'HH:MM', 24-hour, inclusive. */
  start: string;
  /** 'HH:MM', 24-hour, exclusive. */
  end: string;
  noSendDays?: readonly Weekday[];
}

/** 47 CFR 64.1200(c)(1): no telephone solicitation before 8 a.m. or after 9 p.m. at the called party's location. */
export const FEDERAL_WINDOW: Readonly<LocalHours> = Object.freeze({ start: '08:00', end: '21:00' });

/** The window an account gets when it sets none: the federal one. */
export const DEFAULT_ACCOUNT_WINDOW: Readonly<AccountWindow> = Object.freeze({ ...FEDERAL_WINDOW });

/** How far ahead we look for a common window before giving up. */
export const SEARCH_HORIZON_DAYS = 14;

export type AccountWindowValidation = { ok: true; window: AccountWindow } | { ok: false; message: string };

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Checks an account window before it is stored. A window may only narrow the federal one: the account cannot opt its
 * recipients out of 47 CFR 64.1200(c)(1).
 */
export function validateAccountWindow(window: AccountWindow): AccountWindowValidation {
  const { start, end, noSendDays = [] } = window;
  if (!HH_MM.test(start) || !HH_MM.test(end)) {
    return { ok: false, message: `start and end must be 24-hour 'HH:MM' times (got '${start}' and '${end}').` };
  }
  if (minutesOf(start) >= minutesOf(end)) {
    return {
      ok: false,
      message: `start (${start}) must be earlier than end (${end}); a window may not cross midnight, because the federal window (08:00–21:00) never does.`,
    };
  }
  if (minutesOf(start) < minutesOf(FEDERAL_WINDOW.start) || minutesOf(end) > minutesOf(FEDERAL_WINDOW.end)) {
    return {
      ok: false,
      message: `The window ${start}–${end} is wider than 08:00–21:00: federal law (47 CFR 64.1200(c)(1)) forbids marketing texts before 8 a.m. or after 9 p.m. at the recipient's location, so an account window may only narrow it.`,
    };
  }
  const unknownDays = noSendDays.filter((day) => !WEEKDAYS.includes(day));
  if (unknownDays.length > 0) {
    return {
      ok: false,
      message: `noSendDays has unknown days: ${unknownDays.join(', ')} (use ${WEEKDAYS.join(', ')}).`,
    };
  }
  if (new Set(noSendDays).size === WEEKDAYS.length) {
    return { ok: false, message: 'noSendDays lists every day of the week, so nothing could ever be sent.' };
  }
  return { ok: true, window: { start, end, noSendDays: [...new Set(noSendDays)] } };
}

export interface SendingWindowInput {
  now: Date;
  /** Defaults to DEFAULT_ACCOUNT_WINDOW. */
  accountWindow?: AccountWindow;
  /** Every IANA zone the recipient may be in; at least one. */
  timeZones: readonly string[];
  /** USPS code of the recipient's state, when known. */
  state?: string;
}

export type SendingWindowFailure = 'invalidAccountWindow' | 'invalidTimeZone' | 'noWindowWithin14Days';

export type SendingWindowResult =
  { ok: true; isAllowedNow: boolean; sendAt: Date } | { ok: false; reason: SendingWindowFailure; message: string };

interface LocalTime {
  date: LocalDate;
  /** YYYY-MM-DD, for effective-date comparisons. */
  isoDate: string;
  weekday: Weekday;
  /** Seconds since local midnight, as the wall clock shows it. */
  secondOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl throws a RangeError for a zone it does not know; that is our validity test. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function localTimeIn(timeZone: string, instant: number): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const date: LocalDate = { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0 };
  const weekdayIndex = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return {
    date,
    isoDate: `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`,
    weekday: WEEKDAYS[weekdayIndex] ?? 'sun',
    secondOfDay: (parts.hour ?? 0) * 3600 + (parts.minute ?? 0) * 60 + (parts.second ?? 0),
  };
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` at `minuteOfDay`. Offsets are read from Intl and the
 * guess corrected twice, which settles for every real zone; a wall time that does not exist (skipped by a DST jump)
 * maps to a nearby instant, and the caller re-checks the result.
 */
function instantOf(timeZone: string, date: LocalDate, minuteOfDay: number): number {
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  let guess = wallAsUtc;
  for (let i = 0; i < 2; i++) {
    const local = localTimeIn(timeZone, guess);
    // Guesses stay on whole minutes, so the second-resolution wall clock gives the exact offset.
    const localAsUtc = Date.UTC(local.date.year, local.date.month - 1, local.date.day) + local.secondOfDay * 1000;
    guess = wallAsUtc - (localAsUtc - guess);
  }
  return guess;
}

/** The allowed span of one local day, in minutes since midnight, or undefined when nothing may be sent that day. */
function allowedSpan(
  window: AccountWindow,
  state: string | undefined,
  local: Pick<LocalTime, 'date' | 'isoDate' | 'weekday'>,
): { startMinute: number; endMinute: number } | undefined {
  if (window.noSendDays?.includes(local.weekday)) return undefined;
  let startMinute = Math.max(minutesOf(FEDERAL_WINDOW.start), minutesOf(window.start));
  let endMinute = Math.min(minutesOf(FEDERAL_WINDOW.end), minutesOf(window.end));
  const rule = stateRuleOn(state, local.isoDate);
  if (rule !== undefined) {
    const stateHours = rule.hours[local.weekday];
    if (stateHours === null) return undefined;
    if (holidayOn(rule.holidays, local.date) !== undefined) return undefined;
    startMinute = Math.max(startMinute, minutesOf(stateHours.start));
    endMinute = Math.min(endMinute, minutesOf(stateHours.end));
  }
  return startMinute < endMinute ? { startMinute, endMinute } : undefined;
}

function isAllowedIn(timeZone: string, instant: number, window: AccountWindow, state: string | undefined): boolean {
  const local = localTimeIn(timeZone, instant);
  const span = allowedSpan(window, state, local);
  return span !== undefined && local.secondOfDay >= span.startMinute * 60 && local.secondOfDay < span.endMinute * 60;
}

/**
 * The first instant after `instant` at which `timeZone` opens: the start of today's span if it is still ahead,
 * otherwise the start of the next local day that has a span. Undefined when no day opens within the horizon (plus
 * two days, for zones a day ahead of or behind UTC).
 */
function nextOpening(
  timeZone: string,
  instant: number,
  window: AccountWindow,
  state: string | undefined,
): number | undefined {
  const local = localTimeIn(timeZone, instant);
  for (let dayOffset = 0; dayOffset <= SEARCH_HORIZON_DAYS + 2; dayOffset++) {
    const day = new Date(Date.UTC(local.date.year, local.date.month - 1, local.date.day + dayOffset));
    const date: LocalDate = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    const isoDate = day.toISOString().slice(0, 10);
    const span = allowedSpan(window, state, { date, isoDate, weekday: WEEKDAYS[day.getUTCDay()] ?? 'sun' });
    if (span === undefined) continue;
    const opening = instantOf(timeZone, date, span.startMinute);
    if (opening > instant) return opening;
  }
  return undefined;
}

/**
 * Whether a marketing text may go out now, and if not, the earliest instant at which every zone is inside the
 * intersection of the account window, the federal window and the state rule. Gives up after SEARCH_HORIZON_DAYS,
 * which only happens when the zones never share an open hour (a country spanning more than 13 hours) or a rule
 * leaves no day open.
 */
export function computeSendingWindow(input: SendingWindowInput): SendingWindowResult {
  const validation = validateAccountWindow(input.accountWindow ?? DEFAULT_ACCOUNT_WINDOW);
  if (!validation.ok) return { ok: false, reason: 'invalidAccountWindow', message: validation.message };
  const window = validation.window;
  const zones = [...new Set(input.timeZones)];
  const badZones = zones.filter((zone) => !isValidTimeZone(zone));
  if (zones.length === 0 || badZones.length > 0) {
    return {
      ok: false,
      reason: 'invalidTimeZone',
      message: zones.length === 0 ? 'No time zone given.' : `Unknown IANA time zones: ${badZones.join(', ')}.`,
    };
  }

  const now = input.now.getTime();
  const horizon = now + SEARCH_HORIZON_DAYS * 86_400_000;
  let candidate = now;
  // Each pass moves the candidate to the latest "next opening" of the zones that are closed. No common instant can
  // come before that, so the search never skips one; and the candidate only grows, so the loop ends at the horizon.
  while (candidate <= horizon) {
    const closed = zones.filter((zone) => !isAllowedIn(zone, candidate, window, input.state));
    if (closed.length === 0) {
      return { ok: true, isAllowedNow: candidate === now, sendAt: new Date(candidate) };
    }
    let next = candidate;
    for (const zone of closed) {
      const opening = nextOpening(zone, candidate, window, input.state);
      if (opening === undefined) {
        next = Number.POSITIVE_INFINITY;
        break;
      }
      next = Math.max(next, opening);
    }
    // A wall time skipped by a DST jump can map back onto the candidate; step a minute so the loop still progresses.
    candidate = next > candidate ? next : candidate + 60_000;
  }
  return {
    ok: false,
    reason: 'noWindowWithin14Days',
    message: `No instant in the next ${SEARCH_HORIZON_DAYS} days is inside the sending window in every one of ${zones.join(', ')}${input.state === undefined ? '' : ` under the ${input.state.toUpperCase()} rule`}.`,
  };
}
