import { describeFaultTest } from './fault-run';

// The driver itself injects this fault: every START/STOP is delivered three times (all at once, one after another,
// or once now and twice after later events), numbers reply in a shuffled order, and the follow-up texts of a number
// are queued while its replies are being delivered.
describeFaultTest({
  title: 'fault F5: webhooks redelivered, out of order, racing new sends',
  expectation:
    'keeps invariants 1-7 and sends every text exactly once when each reply arrives three times, late and racing sends',
  system: { name: 'f5-webhook-redelivery' },
  fault: 'F5 webhooks redelivered',
  redeliver: true,
  inject: async (_system, { loadDone }) => {
    await loadDone;
    return {};
  },
});
