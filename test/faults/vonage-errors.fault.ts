import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxFault } from '../../src/sandbox/sandbox';
import { describeFaultTest } from './fault-run';

const VONAGE_TIMEOUT_MS = 4_000;
const MIN_ROTATIONS = 2;
const MAX_ROTATIONS = 2;

/**
 * One rotation of provider misbehaviour. A 'timeout' never answers and never takes the text; a 'slow' answer past
 * the SDK's timeout takes the text after the caller gave up (the ambiguous case the status callback reconciles).
 * Both are limited to a few requests: each leaves a text whose outcome is unknown, which the design fails rather
 * than resends.
 */
const ROTATION: (SandboxFault | null)[] = [
  { mode: 'http429' },
  null,
  { mode: 'http500' },
  { mode: 'slow', delayMs: 1_500 },
  null,
  { mode: 'timeout', remaining: 1 },
  { mode: 'slow', delayMs: VONAGE_TIMEOUT_MS + 2_000, remaining: 1 },
];

describeFaultTest({
  title: 'fault F4: the provider answers 429, 500, times out and is slow',
  expectation: 'keeps invariants 1-7 and sends every text exactly once while the provider misbehaves',
  system: { name: 'f4-vonage-errors', vonageTimeoutMs: VONAGE_TIMEOUT_MS },
  fault: 'F4 Vonage 429/500/timeout/slow',
  inject: async (system, { random, isLoadDone, log }) => {
    let rotations = 0;
    let step = 0;
    while ((rotations < MIN_ROTATIONS || !isLoadDone()) && rotations < MAX_ROTATIONS) {
      const fault = ROTATION[step % ROTATION.length]!;
      system.sandbox.setFault(fault);
      log(`sandbox fault ${JSON.stringify(fault)}`);
      await sleep(1_500 + random() * 2_000);
      step += 1;
      if (step % ROTATION.length === 0) rotations += 1;
    }
    system.sandbox.setFault(null);
    return { rotations, ...system.sandboxFaultsApplied };
  },
});
