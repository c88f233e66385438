import { setTimeout as sleep } from 'node:timers/promises';
import { benchPhone } from './phone-numbers';
import { postInbound, queueText, type TimedAnswer } from './http';

/**
 * An open-loop load generator, run as its own process by bench/phases/api-latency.ts so that its work does not
 * share an event loop with the API or the bench. It sends request i at t0 + i / rate whether or not earlier ones
 * have answered (a fixed offered rate), and times each from its scheduled moment, so a slow server cannot hide
 * its queueing by slowing the generator down (no coordinated omission).
 *
 * Input: one JSON argument (LoadPlan). Output: one JSON line (LoadReport) on stdout.
 */

/** What to send. */
export interface LoadPlan {
  kind: 'messages' | 'inbound';
  apiUrl: string;
  /** messages: the agent key. */
  apiKey?: string;
  /** inbound: the webhook signature secret and the account's number. */
  signatureSecret?: string;
  sender?: string;
  /** Request i goes to (messages) or comes from (inbound) benchPhone(firstPhoneIndex + i). */
  firstPhoneIndex: number;
  rate: number;
  durationSeconds: number;
}

/** What happened, request by request. */
export interface LoadReport {
  kind: LoadPlan['kind'];
  requests: number;
  /** Milliseconds from each request's scheduled moment to the end of its answer. */
  latenciesMs: number[];
  statuses: Record<string, number>;
  /** The most any request started after its scheduled moment: large means the generator itself fell behind. */
  maxStartLagMs: number;
  elapsedSeconds: number;
}

async function run(plan: LoadPlan): Promise<LoadReport> {
  const requests = Math.max(1, Math.round(plan.rate * plan.durationSeconds));
  const intervalMs = 1000 / plan.rate;
  const send = (index: number): Promise<TimedAnswer> => {
    const phone = benchPhone(plan.firstPhoneIndex + index);
    if (plan.kind === 'messages') {
      return queueText(plan.apiUrl, plan.apiKey!, {
        leadId: `bench-latency-${index}`,
        phone,
        body: `Bench latency lead ${index}: the listing you asked about is open Saturday.`,
      });
    }
    return postInbound(plan.apiUrl, plan.signatureSecret!, { from: phone, to: plan.sender!, text: 'START' });
  };

  const startedAt = performance.now();
  const latenciesMs: number[] = new Array<number>(requests);
  const statuses: Record<string, number> = {};
  let maxStartLagMs = 0;
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < requests; index += 1) {
    const scheduledAt = startedAt + index * intervalMs;
    const waitMs = scheduledAt - performance.now();
    if (waitMs > 0) await sleep(waitMs);
    maxStartLagMs = Math.max(maxStartLagMs, performance.now() - scheduledAt);
    inFlight.push(
      send(index).then((answer) => {
        latenciesMs[index] = Math.round((performance.now() - scheduledAt) * 10) / 10;
        statuses[String(answer.status)] = (statuses[String(answer.status)] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(inFlight);
  return {
    kind: plan.kind,
    requests,
    latenciesMs,
    statuses,
    maxStartLagMs: Math.round(maxStartLagMs * 10) / 10,
    elapsedSeconds: (performance.now() - startedAt) / 1000,
  };
}

if (require.main === module) {
  const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
  run(plan).then(
    (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
