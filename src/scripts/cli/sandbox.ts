import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { toE164 } from '../../phone';
import { CliUsageError, errorMessage, helpAfter, printsJson } from './shared';

/** Asks the running Vonage sandbox to deliver an inbound SMS to our webhook, as a lead's phone would. */
export async function sandboxReplyCommand(input: {
  sandboxUrl: string;
  from: string;
  to: string;
  text: string;
}): Promise<unknown> {
  const from = toE164(input.from);
  if (from === undefined) throw new CliUsageError(`--from "${input.from}" is not a valid phone number`);
  const to = toE164(input.to);
  if (to === undefined) throw new CliUsageError(`--to "${input.to}" is not a valid phone number`);
  const url = new URL('/_sandbox/reply', input.sandboxUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to, text: input.text }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliUsageError(
      `could not reach the sandbox at ${url.origin} (is \`make start\` running?): ${errorMessage(error)}`,
    );
  }
  const text = await response.text();
  const body = parseJson(text);
  if (!response.ok) {
    const detail = (body as { error?: unknown } | undefined)?.error ?? text;
    throw new CliUsageError(`the sandbox answered ${response.status}: ${String(detail)}`);
  }
  return body ?? text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `sandbox reply`. */
export function addSandboxCommands(program: Command): void {
  printsJson(
    program
      .command('sandbox')
      .description('drive the built-in Vonage sandbox (development only)')
      .addHelpText(
        'after',
        helpAfter({ examples: ['sandbox reply --from +14155550123 --to +12015550100 --text START'] }),
      )
      .command('reply')
      .description("text an account's number from a lead's number through the sandbox")
      .requiredOption('--from <e164>', "the lead's number")
      .requiredOption('--to <e164>', "the account's sender number")
      .requiredOption('--text <text>', 'the message, e.g. START, STOP or HELP')
      .option('--sandbox-url <url>', 'base URL of the running sandbox (default: http://127.0.0.1:$SANDBOX_PORT)'),
    {
      prints: "the sandbox's answer",
      examples: [
        'sandbox reply --from +14155550123 --to +12015550100 --text START',
        'sandbox reply --from +14155550123 --to +12015550100 --text STOP --sandbox-url http://127.0.0.1:3100',
      ],
    },
    (options: { from: string; to: string; text: string; sandboxUrl?: string }) => {
      const sandboxUrl = options.sandboxUrl ?? `http://127.0.0.1:${loadConfig().sandboxPort}`;
      return sandboxReplyCommand({ ...options, sandboxUrl });
    },
  );
}
