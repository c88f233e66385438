import { setTimeout as sleep } from 'node:timers/promises';
import { describeFaultTest } from './fault-run';

/** Two of each, as docker-compose.yml runs them. */
const WORKER_COUNT = 2;
const API_REPLICAS = 2;
/** Rounds of kills while the numbers reply; each round kills one worker and one API replica at the same moment. */
const ROUNDS = 2;

describeFaultTest({
  title: 'fault F6: two workers and two API replicas, one of each SIGKILLed mid-release',
  expectation:
    'loses nothing, sends nothing twice and nothing after a STOP when a worker and an API replica die while STARTs release held texts',
  system: { name: 'f6-scale-out', apiReplicas: API_REPLICAS },
  workerCount: WORKER_COUNT,
  fault: 'F6 2+2, worker + API SIGKILL',
  inject: async (system, { random, log, repliesStarted, isLoadDone, loadDone }) => {
    // Behind the balancer: the API in this process and one spawned replica, which is the one killed (a process of
    // the test's own cannot be SIGKILLed). Requests in flight on it at that moment are cut or answered 502, and the
    // driver and the sandbox retry them as a CRM and Vonage do, through the balancer, to whichever replica is up.
    await repliesStarted;
    let workerSigkills = 0;
    let apiSigkills = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      await sleep(500 + random() * 2_500);
      if (isLoadDone()) break;
      const workers = system.workers.filter((worker) => !worker.hasExited);
      const worker = workers[Math.floor(random() * workers.length)]!;
      const api = system.apiProcesses[0]!;
      worker.child.kill('SIGKILL');
      api.child.kill('SIGKILL');
      await Promise.all([worker.exited, api.exited]);
      workerSigkills += 1;
      apiSigkills += 1;
      log(`SIGKILL worker ${worker.pid} and API replica ${api.pid} (${api.url}) while the numbers reply`);
      await Promise.all([system.spawnWorker({ waitUntilPolling: true }), system.restartApi(api)]);
      log('both replaced: the new worker polls and the replica answers /readyz');
    }
    // The run must have broken something while texts were being released, or it shows nothing.
    if (apiSigkills === 0) throw new Error('the replies were over before the first kill; the run shows nothing');
    await loadDone;
    const answered = [...(system.balancer?.answered.values() ?? [])];
    return {
      workerSigkills,
      apiSigkills,
      badGateways: system.balancer?.badGateways ?? 0,
      answeredByReplica: answered.join('/'),
    };
  },
});
