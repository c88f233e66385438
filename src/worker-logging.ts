import { Context } from '@temporalio/activity';
import { DefaultLogger, type ActivityInterceptorsFactory, type LogEntry } from '@temporalio/worker';
import type { Logger } from 'pino';

/**
 * One structured line per activity attempt: which workflow, which activity, which attempt, how long, and how it
 * ended. Inputs are never logged (they hold phone numbers and texts); error messages are ours and carry neither.
 */
export function activityAttemptLogging(logger: Logger): ActivityInterceptorsFactory {
  return (ctx: Context) => ({
    inbound: {
      async execute(input, next) {
        const info = ctx.info;
        const fields = {
          workflowId: info.workflowExecution?.workflowId,
          runId: info.workflowExecution?.runId,
          activityType: info.activityType,
          activityId: info.activityId,
          attempt: info.attempt,
        };
        const started = process.hrtime.bigint();
        const durationMs = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
        try {
          const result = await next(input);
          logger.info({ ...fields, durationMs: durationMs(), outcome: 'completed' }, 'activity attempt');
          return result;
        } catch (error) {
          const failure = error as { type?: string; name?: string; message?: string };
          logger.warn(
            {
              ...fields,
              durationMs: durationMs(),
              outcome: 'failed',
              errorType: failure.type ?? failure.name,
              error: failure.message,
            },
            'activity attempt',
          );
          throw error;
        }
      },
    },
  });
}

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

type SdkLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
const SDK_LEVELS: readonly SdkLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/**
 * The Temporal SDK's own logger (workflow `log`, activity `log`, worker lifecycle) writing through pino, at the pino
 * logger's level or at `minimumLevel` when that is higher.
 */
export function temporalLoggerFor(logger: Logger, minimumLevel: SdkLevel = 'TRACE'): DefaultLogger {
  const level = logger.level === 'silent' ? 'ERROR' : (logger.level.toUpperCase() as SdkLevel);
  const loggerLevel = SDK_LEVELS.includes(level) ? level : 'INFO';
  const sdkLevel = SDK_LEVELS[Math.max(SDK_LEVELS.indexOf(loggerLevel), SDK_LEVELS.indexOf(minimumLevel))]!;
  return new DefaultLogger(sdkLevel, (entry: LogEntry) => {
    logger[PINO_LEVEL[entry.level]]({ ...entry.meta, sdk: 'temporal' }, entry.message);
  });
}
