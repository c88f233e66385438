import type { SendPlan, SendPlanner, SendPlanRequest } from '../../activities';
import { resolveRecipientZone, type RecipientZone } from './recipient-zone';
import { computeSendingWindow } from './sending-window';

/** Zone look-ups cost a read and decode of libphonenumber's data; the answer for a number never changes at runtime. */
const MAX_CACHED_ZONES = 10_000;
const zoneCache = new Map<string, Promise<RecipientZone>>();

function zoneOf(input: SendPlanRequest): Promise<RecipientZone> {
  const key = `${input.phone}|${input.timeZone ?? ''}|${input.state ?? ''}`;
  const cached = zoneCache.get(key);
  if (cached) return cached;
  const zone = resolveRecipientZone({ e164: input.phone, timeZone: input.timeZone, state: input.state });
  if (zoneCache.size >= MAX_CACHED_ZONES) zoneCache.delete(zoneCache.keys().next().value ?? key);
  zoneCache.set(key, zone);
  return zone;
}

/**
 * When a text may reach the recipient: now, later (the first instant inside the account's window, the federal
 * 08:00-21:00 and the state's rules, in every zone the number may be in), or never (docs/quiet-hours.md).
 */
export const planSend: SendPlanner = async (input: SendPlanRequest): Promise<SendPlan> => {
  const zone = await zoneOf(input);
  if (!zone.ok) return { kind: 'never', detail: zone.message };
  const window = computeSendingWindow({
    now: input.now,
    accountWindow: input.window,
    timeZones: zone.timeZones,
    state: zone.state,
  });
  if (!window.ok) return { kind: 'never', detail: window.message };
  return window.isAllowedNow ? { kind: 'now' } : { kind: 'later', sendAt: window.sendAt };
};

/**
 * Every text may go out now: for the test suites that are not about quiet hours and for the benchmark, which run at
 * any hour of the day (QUIET_HOURS=off, refused in production). test/e2e/quiet-hours.test.ts runs the real planner.
 */
export const sendAtAnyHour: SendPlanner = async () => ({ kind: 'now' });
