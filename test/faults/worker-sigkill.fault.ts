import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerProcess } from '../support/fault-system';
import { describeFaultTest } from './fault-run';

const WORKER_COUNT = 2;
/** Kills spread over the run; each stalls the dead worker's activities for their 20 s start-to-close timeout. */
const KILLS = 4;
/** How long a kill waits for pushed events to be in flight (recorded, not yet acknowledged, being posted). */
const EVENTS_FLOWING_WAIT_MS = 15_000;

describeFaultTest({
  title: 'fault F1: workers SIGKILLed at random points and restarted',
  expectation: 'keeps invariants 1-7 and sends every text exactly once when workers die mid-activity',
  system: { name: 'f1-worker-sigkill' },
  workerCount: WORKER_COUNT,
  fault: 'F1 worker SIGKILL',
  inject: async (system, { random, log, eventProgress }) => {
    // Two workers, as in production; each kill is replaced at once by a new process (which bundles the
    // workflows before it polls). The third kill takes every worker down at the same moment.
    const ready = new Set<WorkerProcess>(system.workers);
    const replace = async () => {
      const worker = await system.spawnWorker();
      await system.waitUntilPolling(worker);
      ready.add(worker);
    };
    const replacements: Promise<void>[] = [];
    let kills = 0;
    let wholeOutages = 0;
    let killsWhileEventsFlowing = 0;
    /**
     * Until events are flowing: some recorded and not yet acknowledged, and the receiver got a delivery attempt in
     * the last half second, so the kill lands on relay steps and deliveries in progress. Returns what it saw.
     */
    const waitForEventsFlowing = async (): Promise<string> => {
      if (!eventProgress) return 'events not checked';
      const deadline = Date.now() + EVENTS_FLOWING_WAIT_MS;
      let before = await eventProgress();
      for (;;) {
        await sleep(500);
        const now = await eventProgress();
        const inFlight = now.recorded - now.acknowledged;
        const seen = `events recorded ${now.recorded}, acknowledged ${now.acknowledged}, attempts ${now.attempts}`;
        if (inFlight > 0 && now.attempts > before.attempts) return `${seen} (flowing)`;
        if (Date.now() > deadline) return `${seen} (not flowing)`;
        before = now;
      }
    };
    while (kills < KILLS) {
      await sleep(4_000 + random() * 8_000);
      const events = await waitForEventsFlowing();
      const candidates = [...ready].filter((worker) => !worker.hasExited);
      if (candidates.length === 0) continue;
      const victims = kills === 2 ? candidates : [candidates[Math.floor(random() * candidates.length)]!];
      if (victims.length === candidates.length && candidates.length === WORKER_COUNT) wholeOutages += 1;
      for (const victim of victims) {
        ready.delete(victim);
        victim.child.kill('SIGKILL');
        await victim.exited;
        kills += 1;
        if (events.endsWith('(flowing)')) killsWhileEventsFlowing += 1;
        log(`SIGKILL worker ${victim.pid}; ${events}`);
        replacements.push(replace());
      }
    }
    await Promise.all(replacements);
    return { workerSigkills: kills, allWorkersDown: wholeOutages, killsWhileEventsFlowing };
  },
});
