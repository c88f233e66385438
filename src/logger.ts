import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat } from './config';

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

/** LOG_FORMAT=auto means pretty for a person at a terminal and JSON for anything that collects the output. */
export function resolveLogFormat(format: LogFormat, isTerminal: boolean): 'json' | 'pretty' {
  if (format !== 'auto') return format;
  return isTerminal ? 'pretty' : 'json';
}

/**
 * Fields a person at a terminal does not need on every line: the process is in the line's name (and in
 * `make start`'s prefix), a request line's message already says method, path, status and time, and the workflow ID
 * names the run well enough to find it in the Web UI. JSON lines keep them all.
 */
const PRETTY_IGNORED = 'pid,hostname,req,res,responseTime,sdk,sdkComponent,runId,activityId';

/**
 * The one structured logger of a process: stdout unless a destination is given (as tests do), JSON or one short
 * line per event. Pretty lines are written synchronously in this thread, not through pino's worker-thread transport,
 * so that a line logged just before exit is not lost; colours follow pino-pretty's own detection (a terminal,
 * FORCE_COLOR, NO_COLOR).
 */
export function createLogger(
  options: { level: string; name: string; format?: LogFormat },
  destination?: DestinationStream,
): Logger {
  const format = resolveLogFormat(options.format ?? 'json', destination === undefined && process.stdout.isTTY);
  const stream =
    format === 'pretty'
      ? pretty({
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: PRETTY_IGNORED,
          sync: true,
          ...(destination ? { destination } : {}),
        })
      : destination;
  return pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    stream,
  );
}
