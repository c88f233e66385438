import { defineSignal } from '@temporalio/workflow';

/**
 * What the outside world may say to an eventDeliveryWorkflow: one workflow per (CRM endpoint, phone number), which
 * delivers that number's events to that endpoint one at a time, in the order they happened (docs/events.md). The
 * relay and the API's replay import from here; nothing else of the workflow is public.
 */

/** The workflow type name stored in history; never rename. */
export const EVENT_DELIVERY_WORKFLOW_TYPE = 'eventDeliveryWorkflow';

/**
 * Deliveries run on their own task queue and worker, so a slow or dead CRM endpoint holds only delivery slots,
 * never the slots texts are sent with.
 */
export const EVENT_TASK_QUEUE = 'sms-consent-events';

/** The workflow's input: the endpoint, and events carried over from a previous run (continue-as-new). */
export interface EventDeliveryInput {
  endpointId: string;
  eventIds?: string[];
}

export type EventDeliveryWorkflow = (input: EventDeliveryInput) => Promise<void>;

/** Events to deliver, in order; an event already waiting is ignored. */
export interface EventsQueued {
  eventIds: string[];
}

export const eventsQueuedSignal = defineSignal<[EventsQueued]>('eventsQueued');

/** `phoneKey` is the keyed hash of the number (src/phone.ts): no phone number appears in a workflow ID. */
export const eventDeliveryWorkflowId = (endpointId: string, phoneKey: string): string =>
  `eventDelivery:${endpointId}:${phoneKey}`;
