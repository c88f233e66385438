import {
  ActivityFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { EventDeliveryActivities } from '../activities/event-delivery';
import { eventsQueuedSignal, type EventDeliveryInput } from './event-delivery.contract';

/*
 * Delivers one number's events to one CRM endpoint, in order: the next event waits until the one before it was
 * acknowledged (2xx) or given up on. Given up means retried for more than 24 hours (docs/events.md); the delivery is
 * then `failed` and an admin can replay it.
 */

// One attempt is one HTTP request (10 s timeout) and two small transactions. Retries: 2 s, 4 s, 8 s … growing to an
// hour between attempts, for 25 hours in all, then the event is given up on. Temporal keeps the schedule; a worker
// restart loses nothing.
const { deliverEvent } = proxyActivities<EventDeliveryActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '25 hours',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 hour',
  },
});
const { finishDelivery } = proxyActivities<EventDeliveryActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** With nothing to deliver for this long the workflow ends; the relay starts it again with the next event. */
const IDLE_TIMEOUT = '5 minutes';
/** Events per run before continue-as-new keeps the history short. */
const EVENTS_PER_RUN = 200;

/** Event ids are bigint sequence numbers as strings: compared as numbers, "10" comes after "9". */
const byEventId = (a: string, b: string): number => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

export async function eventDeliveryWorkflow(input: EventDeliveryInput): Promise<void> {
  /** Events waiting, oldest first whichever signal brought them (a replay brings old ones late). */
  const queue: string[] = [...(input.eventIds ?? [])];
  let inFlight: string | undefined;
  setHandler(eventsQueuedSignal, ({ eventIds }) => {
    for (const id of eventIds) if (id !== inFlight && !queue.includes(id)) queue.push(id);
    queue.sort(byEventId);
  });

  let delivered = 0;
  for (;;) {
    await condition(() => queue.length > 0, IDLE_TIMEOUT);
    // Checked again rather than trusting the timeout: a signal handled in the same activation as the timer counts.
    if (queue.length === 0) return;
    const eventId = queue.shift()!;
    inFlight = eventId;
    try {
      const outcome = await deliverEvent({ endpointId: input.endpointId, eventId });
      if (outcome === 'endpoint_deleted') {
        await finishDelivery({ endpointId: input.endpointId, eventId, status: 'cancelled' });
      }
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      await finishDelivery({ endpointId: input.endpointId, eventId, status: 'failed' });
    }
    inFlight = undefined;
    delivered += 1;
    // Whether or not events wait: a number whose events keep arriving just under the idle timeout apart would
    // otherwise grow one history without end.
    if (delivered >= EVENTS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof eventDeliveryWorkflow>({ endpointId: input.endpointId, eventIds: queue });
    }
  }
}
