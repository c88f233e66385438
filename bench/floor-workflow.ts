import {
  allHandlersFinished,
  condition,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';

/**
 * The floor: the least a workflow can do for one lead's consent loop, in the same Temporal operations as ours.
 * Update-with-start (the queued text) → one no-op activity before the update answers (ours: the opt-in send);
 * a signal-with-start (the START reply) → one no-op activity (ours: the release). No Postgres, no Vonage, no
 * state. Bundled on its own (bench/floor-worker.ts); imports only @temporalio/workflow, like workflows/.
 */

/** Its own task queue, so the floor's worker never takes our tasks. */
export const FLOOR_TASK_QUEUE = 'bench-floor';

/** The floor's update: the queued text; answers once the no-op "opt-in" activity has run. */
export const floorQueueUpdate = defineUpdate<string, [string]>('floorQueue');

/** The floor's signal: the START reply. */
export const floorReplySignal = defineSignal<[string]>('floorReply');

/** The floor's one activity; the worker's implementation returns its input. */
export interface FloorActivities {
  noop(input: string): Promise<string>;
}

// The same timeouts and retry policy as workflows/sms-consent.ts.
const { noop } = proxyActivities<FloorActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Waits for one queued text and one reply; completes after the second activity so the driver sees the end. */
export async function floorWorkflow(): Promise<void> {
  let reply: string | undefined;
  setHandler(floorQueueUpdate, async (text) => noop(text));
  setHandler(floorReplySignal, (text) => {
    reply = text;
  });
  await condition(() => reply !== undefined);
  await noop(reply!);
  await condition(allHandlersFinished);
}
