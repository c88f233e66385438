import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { startProgress } from '../progress';
import { summarize, type LatencySummary } from '../stats';
import { FLOOR_TASK_QUEUE, floorQueueUpdate, floorReplySignal, floorWorkflow } from '../floor-workflow';
import { cpuPerLead, type CpuPerLead } from '../machine';
import {
  Failures,
  historyProfile,
  leadRunSummary,
  runLeadsTimed,
  type BenchContext,
  type HistoryProfile,
  type LeadRunSummary,
} from './context';

/** Section 1 of the results. */
export interface FloorResult extends LeadRunSummary {
  /** Leads asked for; `started` is fewer when the phase's time budget ran out first. */
  leads: number;
  started: number;
  completed: number;
  leadLatencyMs: LatencySummary;
  /** The client calls on their own: the platform's share of POST /v1/messages and of the START webhook. */
  updateWithStartMs: LatencySummary;
  signalWithStartMs: LatencySummary;
  /** What a lead's workflow history shows, averaged over a sample of leads. */
  history: HistoryProfile | undefined;
  /** CPU time per completed lead, by process, over the same window as leads/s; undefined when none completed. */
  cpuPerLead?: CpuPerLead;
}

const LEAD_TIMEOUT_MS = 60_000;
/** Leads whose histories are read for the profile. */
export const HISTORY_SAMPLE = 10;

/**
 * The floor: for each lead, update-with-start (answered after one no-op activity), then signal-with-start (the
 * START, followed by one no-op activity), awaited to the workflow's end. Driven straight through the Temporal
 * client, with the same concurrency as ours.
 */
export async function runFloor(context: BenchContext, leads: number): Promise<FloorResult> {
  const { client } = context.system;
  const failures = new Failures();
  const latencies: number[] = [];
  const updateMs: number[] = [];
  const signalMs: number[] = [];
  const progress = startProgress('1/5 floor', leads);
  const workflowIdOf = (index: number) => `benchFloor:${context.runTag}:${index}`;

  const lead = async (index: number) => {
    const workflowId = workflowIdOf(index);
    const startedAt = performance.now();
    await client.workflow.executeUpdateWithStart(floorQueueUpdate, {
      args: [`Bench floor lead ${index}`],
      updateId: randomUUID(),
      startWorkflowOperation: new WithStartWorkflowOperation(floorWorkflow, {
        workflowId,
        taskQueue: FLOOR_TASK_QUEUE,
        args: [],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
    const signalAt = performance.now();
    updateMs.push(signalAt - startedAt);
    await client.workflow.signalWithStart(floorWorkflow, {
      workflowId,
      taskQueue: FLOOR_TASK_QUEUE,
      args: [],
      signal: floorReplySignal,
      signalArgs: ['START'],
    });
    signalMs.push(performance.now() - signalAt);
    await client.workflow.getHandle(workflowId).result();
    latencies.push(performance.now() - startedAt);
  };

  const { started, seconds, cpuAtStart, cpuAtEnd } = await runLeadsTimed(
    context,
    { leads, timeoutMs: LEAD_TIMEOUT_MS, name: 'floor lead', failures, progress },
    lead,
  );

  const sample = Array.from({ length: Math.min(HISTORY_SAMPLE, leads) }, (_, index) => workflowIdOf(index));
  const history = await historyProfile(context.system, sample);
  return {
    leads,
    started,
    completed: latencies.length,
    ...leadRunSummary(context, failures, latencies.length, seconds),
    leadLatencyMs: summarize(latencies),
    updateWithStartMs: summarize(updateMs),
    signalWithStartMs: summarize(signalMs),
    history,
    cpuPerLead: cpuPerLead(cpuAtStart, cpuAtEnd, latencies.length),
  };
}
