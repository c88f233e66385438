import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths redacted from every log line: phone numbers and message bodies are personal data (docs/consent-model.md), and
 * credentials are secrets. Code logs masked numbers (src/phone.ts maskPhone) where a number helps an operator.
 */
export const REDACT_PATHS = [
  'phone',
  'to',
  'from',
  'text',
  'body',
  '*.phone',
  '*.to',
  '*.from',
  '*.text',
  '*.body',
  'req.headers.authorization',
  'req.headers.cookie',
  'apiKey',
  '*.apiKey',
];

/** The one structured logger of a process (stdout unless a destination is given, as tests do). */
export function createLogger(options: { level: string; name: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
