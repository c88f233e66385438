import { setTimeout as sleep } from 'node:timers/promises';
import { describeFaultTest } from './fault-run';

/** Outages spread over the run; each stalls every in-flight activity result until its 20 s timeout. */
const OUTAGES = 3;
const LONG_OUTAGE_MS = 25_000;

describeFaultTest({
  title: 'fault F2: the Temporal server stopped and restarted on the same SQLite file',
  expectation: 'keeps invariants 1-7 and sends every text exactly once when Temporal goes away and comes back',
  system: { name: 'f2-temporal-restart' },
  fault: 'F2 Temporal restart',
  inject: async (system, { random, log }) => {
    // While Temporal is down the API answers 503 (webhooks and POST /v1/messages) and the driver retries like
    // Vonage and a CRM. The first outage is a SIGTERM, the others SIGKILL; the server restarts on the same
    // port and SQLite file.
    let outages = 0;
    let downMs = 0;
    let workerExits = 0;
    while (outages < OUTAGES) {
      await sleep(4_000 + random() * 6_000);
      const signal = outages === 0 ? 'SIGTERM' : 'SIGKILL';
      const stoppedAt = Date.now();
      await system.temporal.stop(signal);
      log(`Temporal ${signal}`);
      // The Temporal client retries an unavailable server for about 20 s before it gives up; one outage lasts
      // longer than that, so the API and webhooks really answer 503 and the callers' retries are exercised.
      await sleep(outages === 1 ? LONG_OUTAGE_MS : 2_000 + random() * 3_000);
      await system.temporal.start();
      downMs += Date.now() - stoppedAt;
      outages += 1;
      log(`Temporal restarted after ${Date.now() - stoppedAt} ms`);
      // A worker that gave up during the outage is a finding; replace it so the run can finish.
      for (const worker of system.workers.filter((w) => w.hasExited)) {
        if (system.workers.filter((w) => !w.hasExited).length > 0) break;
        workerExits += 1;
        log(`worker ${worker.pid} exited during the outage; spawning another`);
        await system.spawnWorker({ waitUntilPolling: true });
      }
    }
    return { temporalRestarts: outages, temporalDownSeconds: Math.round(downMs / 1000), workerExits };
  },
});
