import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './api/rate-limits';
import type { EndpointUrlPolicy } from './events/endpoint-url';
import { parsePayloadEncryptionKeys, type PayloadEncryptionKey } from './codec/encryption-codec';
import type { SignatureSecrets } from './vonage/webhook-signature';

/**
 * The only reader of process.env. Every variable is validated once at start-up; one error lists every bad one.
 *
 * Embedded defaults make `make start` work on a machine with no accounts anywhere: a local Postgres, the
 * Temporal dev server and the built-in Vonage sandbox. The secrets have development defaults too, and
 * NODE_ENV=production refuses to start with any of them (see `assertProductionSafe`).
 */

const DEV_SIGNATURE_SECRET = 'sandbox-signature-secret-change-me-in-production';
const DEV_PHONE_HASH_KEY = 'dev-phone-hash-key-change-me-in-production';
const DEV_SANDBOX_CREDENTIAL = 'sandbox';
const DEV_PAYLOAD_ENCRYPTION_KEYS = 'dev:ZGV2LXBheWxvYWQta2V5LW5vdC1mb3ItcHJvZCEhISE=';

const MIN_SECRET_LENGTH = 16;
/** Two at once is a rotation; a third secret for one key is a list nobody cleaned up, which only widens what verifies. */
const MAX_SECRETS_PER_API_KEY = 2;
const API_KEY_PATTERN = /^[A-Za-z0-9_-]+$/;

const portSchema = z.coerce.number().int().min(0).max(65535);
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));
/**
 * A whole number a minute. Through optionalString because an empty value means unset (.env.example), where a bare
 * coerce would read it as 0. The ceiling is far above any real caller, so it only catches typos.
 */
const perMinuteSchema = (fallback: number) =>
  optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(1_000_000_000).default(fallback));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: optionalString.pipe(z.enum(['auto', 'json', 'pretty']).default('auto')),
  PORT: portSchema.default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_BASE_URL: optionalString.pipe(z.url().optional()),
  API_RATE_LIMIT_PER_MINUTE: perMinuteSchema(DEFAULT_RATE_LIMITS.apiPerMinute),
  API_SENDS_RATE_LIMIT_PER_MINUTE: perMinuteSchema(DEFAULT_RATE_LIMITS.sendsPerMinute),
  DATABASE_URL: optionalString.pipe(z.url().optional()),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_UI_URL: z.string().url().default('http://127.0.0.1:8233'),
  TEMPORAL_CLI_PATH: optionalString,
  PAYLOAD_ENCRYPTION_KEYS: optionalString,
  VONAGE_API_HOST: optionalString.pipe(z.url().optional()),
  VONAGE_API_KEY: optionalString,
  VONAGE_API_SECRET: optionalString,
  VONAGE_APPLICATION_ID: optionalString,
  VONAGE_PRIVATE_KEY: optionalString,
  VONAGE_SIGNATURE_SECRET: z.string().min(MIN_SECRET_LENGTH).default(DEV_SIGNATURE_SECRET),
  VONAGE_SIGNATURE_SECRETS: optionalString,
  VONAGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  PHONE_HASH_KEY: z.string().min(16).default(DEV_PHONE_HASH_KEY),
  SANDBOX_PORT: portSchema.default(3100),
  WEBHOOK_MAX_AGE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  WORKER_METRICS_ADDRESS: optionalString,
  SEND_RECONCILE_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
  // Quiet hours are the law; `off` exists for test suites and the benchmark, which run at any hour of the day.
  QUIET_HOURS: z.enum(['enforce', 'off']).default('enforce'),
  // CRM event endpoints on private or loopback addresses, refused in production unless this says otherwise
  // (src/events/endpoint-url.ts).
  EVENT_ENDPOINTS_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  // The SDK turns 1 into 2 with a warning, so refuse it here rather than run with a value nobody set.
  WORKER_MAX_CACHED_WORKFLOWS: optionalString.pipe(
    z.coerce
      .number<string | undefined>()
      .int()
      .min(0)
      .max(1_000_000)
      .refine((value) => value !== 1, '0 turns the cache off; otherwise at least 2')
      .optional(),
  ),
});

/** Validated, frozen configuration shared by every entry point. */
export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: string;
  /** json, pretty (one coloured line per event), or auto: pretty when stdout is a terminal (src/logger.ts). */
  logFormat: LogFormat;
  port: number;
  host: string;
  /** Where Vonage reaches our webhooks; the sandbox posts here. */
  publicBaseUrl: string;
  /** Per API key and API process: requests a minute on /v1, and sends on top of that (src/api/rate-limits.ts). */
  rateLimits: RateLimits;
  databaseUrl: string;
  /** DATABASE_URL is unset, so databaseUrl is the local default; `make start` may then run an embedded Postgres. */
  isDefaultDatabase: boolean;
  temporal: {
    address: string;
    namespace: string;
    apiKey?: string;
    uiUrl: string;
    cliPath?: string;
    /** Keys of the payload codec that encrypts everything sent to Temporal; the first encrypts, all decrypt. */
    payloadEncryptionKeys: readonly PayloadEncryptionKey[];
  };
  vonage: {
    /** Base URL the SDK sends to; the sandbox's when no credentials are set. */
    apiHost: string;
    /** True when no real credentials are configured: the built-in sandbox stands in for Vonage. */
    isSandbox: boolean;
    apiKey?: string;
    apiSecret?: string;
    applicationId?: string;
    privateKey?: string;
    /** The main account's signature secret; the sandbox signs its callbacks with it. */
    signatureSecret: string;
    /** Every secret a webhook may be signed with, by the token's `api_key` claim. */
    signatureSecrets: SignatureSecrets;
    timeoutMs: number;
  };
  phoneHashKey: string;
  sandboxPort: number;
  webhookMaxAgeSeconds: number;
  workerShutdownGraceMs: number;
  /**
   * Workflows the worker keeps in its sticky cache, which is what its memory grows with when many wait at once;
   * unset: the SDK's default, derived from the V8 heap limit.
   */
  workerMaxCachedWorkflows?: number;
  /** How long a send whose outcome is unknown waits for Vonage's status callback before it is failed (never resent). */
  sendReconcileWindowMs: number;
  /** False only in tests and the benchmark (QUIET_HOURS=off): texts then go out at any hour. */
  isQuietHoursEnforced: boolean;
  /** Where CRM event endpoints may point: strict (HTTPS, public addresses) in production (docs/events.md). */
  eventEndpointUrlPolicy: EndpointUrlPolicy;
  /** host:port where the worker serves the Temporal SDK's Prometheus metrics; off when unset. */
  workerMetricsAddress?: string;
}

/** How log lines are written; see Config.logFormat. */
export type LogFormat = 'auto' | 'json' | 'pretty';

/** The local Postgres of a development machine: the server on 127.0.0.1:5432, or the one `make start` embeds there. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/sms_consent';

/**
 * process.env over the values of `.env` in the working directory, when there is one (the environment wins, as with
 * Node's --env-file). Read here rather than with `node --env-file-if-exists=.env`, because Node then prints
 * ".env not found. Continuing without it." from every process when the file is absent, which is the usual case.
 */
export function readEnvironment(file = '.env'): NodeJS.ProcessEnv {
  if (!existsSync(file)) return process.env;
  return { ...parseEnv(readFileSync(file, 'utf8')), ...process.env };
}

/** The environment of a child process: this one's (without .env, which the child reads itself) plus `overrides`. */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** Reads and validates the environment; throws one Error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = readEnvironment()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const problems: string[] = [];
  const hasKeyPair = Boolean(e.VONAGE_API_KEY) && Boolean(e.VONAGE_API_SECRET);
  const hasApplication = Boolean(e.VONAGE_APPLICATION_ID) && Boolean(e.VONAGE_PRIVATE_KEY);
  if (Boolean(e.VONAGE_API_KEY) !== Boolean(e.VONAGE_API_SECRET)) {
    problems.push('  VONAGE_API_KEY and VONAGE_API_SECRET: set both or neither');
  }
  if (Boolean(e.VONAGE_APPLICATION_ID) !== Boolean(e.VONAGE_PRIVATE_KEY)) {
    problems.push('  VONAGE_APPLICATION_ID and VONAGE_PRIVATE_KEY: set both or neither');
  }
  const isSandbox = !hasKeyPair && !hasApplication;
  let payloadEncryptionKeys: PayloadEncryptionKey[] = [];
  try {
    payloadEncryptionKeys = parsePayloadEncryptionKeys(e.PAYLOAD_ENCRYPTION_KEYS ?? DEV_PAYLOAD_ENCRYPTION_KEYS);
  } catch (error) {
    problems.push(`  PAYLOAD_ENCRYPTION_KEYS: ${(error as Error).message}`);
  }
  const listedSecrets = parseSignatureSecrets(e.VONAGE_SIGNATURE_SECRETS ?? '');
  problems.push(...listedSecrets.problems.map((problem) => `  VONAGE_SIGNATURE_SECRETS: ${problem}`));
  const apiKey = isSandbox ? DEV_SANDBOX_CREDENTIAL : e.VONAGE_API_KEY;
  const signatureSecrets = buildSignatureSecrets(e.VONAGE_SIGNATURE_SECRET, apiKey, listedSecrets.byApiKey);
  const mainKeySecrets = signatureSecrets.defaultSecrets.length;
  if (mainKeySecrets > MAX_SECRETS_PER_API_KEY) {
    problems.push(
      `  VONAGE_SIGNATURE_SECRETS: ${apiKey} is VONAGE_API_KEY, whose secret is VONAGE_SIGNATURE_SECRET; list it at most once more (rotation)`,
    );
  }
  if (e.NODE_ENV === 'production') {
    if (e.QUIET_HOURS === 'off') problems.push('  QUIET_HOURS: production must enforce quiet hours');
    if (isSandbox) problems.push('  VONAGE_API_KEY/VONAGE_APPLICATION_ID: production needs real Vonage credentials');
    if (e.VONAGE_SIGNATURE_SECRET === DEV_SIGNATURE_SECRET) {
      problems.push('  VONAGE_SIGNATURE_SECRET: production must not use the development default');
    }
    if (Object.values(listedSecrets.byApiKey).some((secrets) => secrets.includes(DEV_SIGNATURE_SECRET))) {
      problems.push('  VONAGE_SIGNATURE_SECRETS: production must not use the development default');
    }
    if (e.PHONE_HASH_KEY === DEV_PHONE_HASH_KEY) {
      problems.push('  PHONE_HASH_KEY: production must not use the development default');
    }
    const devKeys = parsePayloadEncryptionKeys(DEV_PAYLOAD_ENCRYPTION_KEYS).map(({ key }) =>
      Buffer.from(key, 'base64'),
    );
    if (payloadEncryptionKeys.some(({ key }) => devKeys.some((dev) => dev.equals(Buffer.from(key, 'base64'))))) {
      problems.push('  PAYLOAD_ENCRYPTION_KEYS: production must not use the development default key');
    }
  }
  if (problems.length > 0) throw new Error(`invalid configuration:\n${problems.join('\n')}`);

  const publicBaseUrl = e.PUBLIC_BASE_URL ?? `http://127.0.0.1:${e.PORT}`;
  const config: Config = {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl,
    rateLimits: { apiPerMinute: e.API_RATE_LIMIT_PER_MINUTE, sendsPerMinute: e.API_SENDS_RATE_LIMIT_PER_MINUTE },
    databaseUrl: e.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    isDefaultDatabase: e.DATABASE_URL === undefined,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      apiKey: e.TEMPORAL_API_KEY,
      uiUrl: e.TEMPORAL_UI_URL,
      cliPath: e.TEMPORAL_CLI_PATH,
      payloadEncryptionKeys,
    },
    vonage: {
      apiHost: e.VONAGE_API_HOST ?? (isSandbox ? `http://127.0.0.1:${e.SANDBOX_PORT}` : 'https://api.nexmo.com'),
      isSandbox,
      apiKey,
      apiSecret: isSandbox ? DEV_SANDBOX_CREDENTIAL : e.VONAGE_API_SECRET,
      applicationId: e.VONAGE_APPLICATION_ID,
      privateKey: e.VONAGE_PRIVATE_KEY,
      signatureSecret: e.VONAGE_SIGNATURE_SECRET,
      signatureSecrets,
      timeoutMs: e.VONAGE_TIMEOUT_MS,
    },
    phoneHashKey: e.PHONE_HASH_KEY,
    sandboxPort: e.SANDBOX_PORT,
    webhookMaxAgeSeconds: e.WEBHOOK_MAX_AGE_SECONDS,
    workerShutdownGraceMs: e.WORKER_SHUTDOWN_GRACE_MS,
    workerMaxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    sendReconcileWindowMs: e.SEND_RECONCILE_WINDOW_MS,
    isQuietHoursEnforced: e.QUIET_HOURS === 'enforce',
    eventEndpointUrlPolicy: {
      isStrict: e.NODE_ENV === 'production',
      allowPrivate: e.EVENT_ENDPOINTS_ALLOW_PRIVATE === 'true',
    },
    workerMetricsAddress: e.WORKER_METRICS_ADDRESS,
  };
  return deepFreeze(config);
}

/**
 * Reads VONAGE_SIGNATURE_SECRETS: `api_key:secret` pairs, comma separated. A key listed twice has two valid secrets,
 * which is how a secret is rotated without refusing the callbacks Vonage signed with the old one.
 */
function parseSignatureSecrets(value: string): { byApiKey: Record<string, string[]>; problems: string[] } {
  const byApiKey: Record<string, string[]> = {};
  const problems: string[] = [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  entries.forEach((entry, index) => {
    const separator = entry.indexOf(':');
    const apiKey = separator < 0 ? '' : entry.slice(0, separator).trim();
    const secret = separator < 0 ? '' : entry.slice(separator + 1).trim();
    // Never echo the entry: it holds a secret.
    if (!API_KEY_PATTERN.test(apiKey)) {
      problems.push(`entry ${index + 1} is not api_key:secret`);
    } else if (secret.length < MIN_SECRET_LENGTH) {
      problems.push(`the secret of ${apiKey} (entry ${index + 1}) is shorter than ${MIN_SECRET_LENGTH} characters`);
    } else if (byApiKey[apiKey]?.includes(secret)) {
      problems.push(`${apiKey} lists the same secret twice`);
    } else {
      (byApiKey[apiKey] ??= []).push(secret);
    }
  });
  for (const [apiKey, secrets] of Object.entries(byApiKey)) {
    if (secrets.length > MAX_SECRETS_PER_API_KEY) {
      problems.push(
        `${apiKey} has ${secrets.length} secrets; at most ${MAX_SECRETS_PER_API_KEY} (old and new while rotating)`,
      );
    }
  }
  return { byApiKey, problems };
}

/**
 * The main account (VONAGE_API_KEY) verifies with VONAGE_SIGNATURE_SECRET plus any secret listed for it, and so does
 * a token without an api_key claim. Every other listed key is a subaccount with its own secrets.
 */
function buildSignatureSecrets(
  mainSecret: string,
  mainApiKey: string | undefined,
  listed: Record<string, string[]>,
): SignatureSecrets {
  const byApiKey = { ...listed };
  const defaultSecrets = [mainSecret];
  if (mainApiKey !== undefined && byApiKey[mainApiKey]) {
    defaultSecrets.push(...byApiKey[mainApiKey].filter((secret) => secret !== mainSecret));
    delete byApiKey[mainApiKey];
  }
  return { defaultSecrets, defaultApiKey: mainApiKey, byApiKey };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child as object);
  }
  return Object.freeze(value);
}
