import { Command, CommanderError } from 'commander';
import { addAccountCommands } from './cli/account';
import { addConsentCommand } from './cli/consent';
import { addDoNotContactCommands } from './cli/do-not-contact';
import { addKeyCommands } from './cli/key';
import { addSandboxCommands } from './cli/sandbox';
import { CliUsageError, errorMessage, helpAfter } from './cli/shared';

/**
 * Operator CLI (`npm run cli -- <command>`), one file per command group in cli/. Each command is a small exported
 * function that returns a plain object; only the commander action prints. Results go to stdout as one JSON
 * document (one line, or indented with --pretty), errors to stderr with exit code 1. Every input is checked before
 * the first write, so a mistake changes nothing.
 */

function buildProgram(): Command {
  const program = new Command('cli')
    .description('sms-consent operator commands (npm run cli -- <command> --help)')
    .exitOverride()
    .showHelpAfterError()
    .addHelpText(
      'after',
      helpAfter({
        examples: [
          'account list',
          'consent --account "$ACCOUNT_ID" --phone +14155550123 --pretty',
          'dnc add --account "$ACCOUNT_ID" --phone +14155550123 --source phone_call',
          'dnc --help',
        ],
        notes:
          'Every command prints one JSON document on stdout (indented with --pretty); errors go to stderr, exit 1.',
      }),
    );
  addAccountCommands(program);
  addKeyCommands(program);
  addConsentCommand(program);
  addDoNotContactCommands(program);
  addSandboxCommands(program);
  return program;
}

/** Parses argv and runs one command; never throws (errors become stderr + exit code 1). */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    // Commander printed its own message already; --help arrives here too, with exit code 0.
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    console.error(`error: ${error instanceof CliUsageError ? error.message : errorMessage(error)}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main(process.argv);
