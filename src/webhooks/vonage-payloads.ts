import { z } from 'zod';
import type { StatusRecord } from '../db/webhook-repository';

/**
 * Vonage's Messages API sends one inbound webhook and one status webhook for every channel, in one of two formats
 * chosen in the dashboard: v1 (flat: `to`/`from` are strings, the text in `text`) or v0.1 (`to`/`from` are
 * `{type, number}` or `{type, id}` objects, the text in `message.content.text`). Vonage never retries a 4xx, so a
 * body it publishes must never be refused: the schemas below require only what we cannot act without (the message
 * UUID and both ends) and read everything else leniently. A field of an unexpected type is dropped, not refused.
 */

/** A `to`/`from` of either format: the v1 string, or the v0.1 object with a phone `number` or a platform `id`. */
const endpointSchema = z.union([
  z.string().min(1).max(256),
  z
    .looseObject({
      type: z.string().max(64).optional().catch(undefined),
      number: z.string().min(1).max(256).optional().catch(undefined),
      id: z.string().min(1).max(256).optional().catch(undefined),
    })
    .refine((endpoint) => endpoint.number !== undefined || endpoint.id !== undefined, {
      message: 'needs a number or an id',
    }),
]);

const optionalString = (maxLength: number) => z.string().max(maxLength).optional().catch(undefined);
const uuid = z.string().min(1).max(100);

/** Body of POST /webhooks/vonage/inbound: any Messages API inbound message, v1 or v0.1, on any channel. */
export const inboundMessageSchema = z
  .looseObject({
    message_uuid: uuid,
    to: endpointSchema,
    from: endpointSchema,
    channel: optionalString(64).describe('v1: sms, mms, rcs, whatsapp, messenger, viber_service'),
    message_type: optionalString(64).describe('v1: text, image, audio, video, file, vcard, reply, button, …'),
    timestamp: optionalString(64),
    text: optionalString(100_000).describe('v1: the text of a text message'),
    message: z
      .looseObject({
        content: z
          .looseObject({ type: optionalString(64) })
          .optional()
          .catch(undefined),
      })
      .optional()
      .catch(undefined)
      .describe('v0.1: `content.type` and the text in `content.text` or a caption in `content.<type>.caption`'),
  })
  .describe(
    'A Vonage Messages API inbound message in the v1 or the v0.1 webhook format, on any channel. Only ' +
      '`message_uuid`, `to` and `from` are required; every other field Vonage sends is accepted.',
  );

/** Body of POST /webhooks/vonage/status: any Messages API status callback, v1 or v0.1, on any channel. */
export const messageStatusSchema = z
  .looseObject({
    message_uuid: uuid,
    to: endpointSchema,
    from: endpointSchema,
    timestamp: optionalString(64),
    status: optionalString(64).describe('submitted, delivered, rejected, undeliverable, read; others are ignored'),
    channel: optionalString(64),
    client_ref: optionalString(100),
    error: z
      .record(z.string(), z.unknown())
      .optional()
      .catch(undefined)
      .describe('v1: RFC 7807 `{type, title, detail, instance}`; v0.1: `{code, reason}`'),
  })
  .describe(
    'A Vonage Messages API status callback in the v1 or the v0.1 webhook format, on any channel. Only ' +
      '`message_uuid`, `to` and `from` are required; every other field Vonage sends is accepted.',
  );

/** An inbound message of any channel and format, reduced to what the service reads. */
export interface VonageInbound {
  messageUuid: string;
  /** Our side: a Vonage number, or a platform id (RCS agent, Viber service, Messenger page) that no account owns. */
  to: string;
  /** The sender: a phone number on phone channels, a platform id on Messenger. */
  from: string;
  /** Whether `from` is a phone number at all; only a phone number can opt in or out of texts. */
  isFromPhone: boolean;
  channel: string;
  messageType: string;
  /** What a person typed: the text, a caption, the title of a tapped reply or button; '' when there is none. */
  text: string;
  timestamp?: string;
  format: 'v1' | 'v0.1';
}

/** A status callback of any channel and format, reduced to what the service reads. */
export interface VonageStatus {
  messageUuid: string;
  /** The recipient. */
  to: string;
  /** Our sending number (or platform id): how the account is found. */
  from: string;
  channel: string;
  /** The status as Vonage wrote it ('' when absent). */
  reportedStatus: string;
  /** The status when it is one the service acts on. */
  status?: StatusRecord['status'];
  clientRef?: string;
  /** Always RFC 7807-shaped (`title` carries the code), so both formats reach one opt-out check. */
  error?: Record<string, unknown>;
  timestamp?: string;
  format: 'v1' | 'v0.1';
}

/** Why a webhook was acknowledged without effect. */
export const IGNORED_REASONS = [
  'unknown_number',
  'not_a_phone_channel',
  'sender_not_a_phone_number',
  'unknown_status',
] as const;

/** One of IGNORED_REASONS. */
export type IgnoredReason = (typeof IGNORED_REASONS)[number];

const MESSAGE_STATUSES = [
  'submitted',
  'delivered',
  'rejected',
  'undeliverable',
  'read',
] as const satisfies readonly StatusRecord['status'][];

// Channels whose users are platform ids, never phone numbers (v1 gives no other sign: `from` is a bare string).
const NON_PHONE_CHANNELS = new Set(['messenger', 'instagram']);

// v0.1 names a channel by its endpoint type; only Viber's differs from the v1 channel name.
const V01_CHANNEL_NAMES: Record<string, string> = { viber_service_msg: 'viber_service' };

type Endpoint = z.infer<typeof endpointSchema>;
type Parsed<T> = { success: true; data: T } | { success: false; error: z.ZodError };

/** Validates an inbound body and reduces it to one shape; fails only without a message UUID, `to` or `from`. */
export function normaliseInbound(body: unknown): Parsed<VonageInbound> {
  const parsed = inboundMessageSchema.safeParse(body);
  if (!parsed.success) return parsed;
  const raw = parsed.data;
  const envelope = envelopeOf(raw);
  const isV01 = envelope.format === 'v0.1';
  const content = isV01 ? asRecord(raw.message?.content) : undefined;
  const channel = isV01 ? v01Channel(raw.from, raw.to) : (raw.channel ?? 'unknown');
  const declaredType = isV01 ? content?.type : raw.message_type;
  const messageType = typeof declaredType === 'string' ? declaredType : raw.text !== undefined ? 'text' : 'unknown';
  const text = textOf((isV01 ? content : raw) ?? {}, messageType);
  return {
    success: true,
    data: {
      ...envelope,
      isFromPhone: !NON_PHONE_CHANNELS.has(channel) && (typeof raw.from === 'string' || raw.from.number !== undefined),
      channel,
      messageType,
      // A NUL cannot be stored in Postgres text. A reply is never refused for it (a "STOP\0" must still opt out):
      // NULs are dropped before anything else reads the text.
      text: text.replaceAll(String.fromCharCode(0), ''),
    },
  };
}

/** Validates a status body and reduces it to one shape; fails only without a message UUID, `to` or `from`. */
export function normaliseStatus(body: unknown): Parsed<VonageStatus> {
  const parsed = messageStatusSchema.safeParse(body);
  if (!parsed.success) return parsed;
  const raw = parsed.data;
  const envelope = envelopeOf(raw);
  const reportedStatus = raw.status ?? '';
  return {
    success: true,
    data: {
      ...envelope,
      channel: raw.channel ?? (envelope.format === 'v0.1' ? v01Channel(raw.from, raw.to) : 'unknown'),
      reportedStatus,
      status: MESSAGE_STATUSES.find((known) => known === reportedStatus),
      clientRef: raw.client_ref,
      error: raw.error && errorOf(raw.error),
    },
  };
}

/** What both webhooks carry alike; v0.1 is told apart by an object `to` or `from`. */
function envelopeOf(raw: {
  message_uuid: string;
  to: Endpoint;
  from: Endpoint;
  timestamp?: string | undefined;
}): Pick<VonageInbound & VonageStatus, 'messageUuid' | 'to' | 'from' | 'timestamp' | 'format'> {
  return {
    messageUuid: raw.message_uuid,
    to: addressOf(raw.to),
    from: addressOf(raw.from),
    timestamp: raw.timestamp,
    format: typeof raw.to !== 'string' || typeof raw.from !== 'string' ? 'v0.1' : 'v1',
  };
}

function addressOf(endpoint: Endpoint): string {
  return typeof endpoint === 'string' ? endpoint : (endpoint.number ?? endpoint.id ?? '');
}

function v01Channel(...endpoints: Endpoint[]): string {
  for (const endpoint of endpoints) {
    if (typeof endpoint !== 'string' && endpoint.type) return V01_CHANNEL_NAMES[endpoint.type] ?? endpoint.type;
  }
  return 'unknown';
}

/**
 * The words a person chose, wherever the message type keeps them: `text`; the caption of an image, video or file;
 * the title of a tapped list reply; the label of a tapped button. Stickers, locations, orders, reactions and
 * unsupported types carry none. A button's `payload` is the sender's own data (a flow token), never read as words.
 */
function textOf(holder: Record<string, unknown>, messageType: string): string {
  if (typeof holder.text === 'string') return holder.text;
  const part = asRecord(holder[messageType]);
  if (!part) return '';
  for (const field of ['caption', 'title', 'text']) {
    const value = part[field];
    if (typeof value === 'string') return value;
  }
  return '';
}

/** v0.1 reports `{code, reason}`; v1 puts the code in `title` and the words in `detail`. Keep both, add the v1 names. */
function errorOf(error: Record<string, unknown>): Record<string, unknown> {
  const { code, reason } = error;
  if (code === undefined || error.title !== undefined) return error;
  return { ...error, title: String(code), ...(typeof reason === 'string' ? { detail: reason } : {}) };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
