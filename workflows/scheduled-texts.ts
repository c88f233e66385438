import type { ConsentState, ScheduledText } from './sms-consent.contract';

/**
 * The texts of one number that wait for the recipient's sending window (quiet hours, docs/quiet-hours.md), kept in
 * the workflow state so they survive restarts and continue-as-new. The order is the order they go out: by `sendAt`,
 * and in queue order among texts due at the same time. The send activity decides whether a text may go out now and
 * answers `scheduled` with the window's opening when not; this list only remembers and wakes.
 */
export class ScheduledTexts {
  constructor(private readonly state: ConsentState) {}

  get items(): readonly ScheduledText[] {
    return this.state.scheduled ?? [];
  }

  /** Adds a text after every text due no later than it, so equal times keep queue order. */
  add(text: ScheduledText): void {
    const items = [...this.items];
    const index = items.findIndex((item) => item.sendAt > text.sendAt);
    items.splice(index === -1 ? items.length : index, 0, text);
    this.state.scheduled = items;
  }

  /** Removes and returns the texts due at `now`, oldest first. */
  takeDue(now: number): ScheduledText[] {
    const due = this.items.filter((item) => item.sendAt <= now);
    if (due.length > 0) this.state.scheduled = this.items.filter((item) => item.sendAt > now);
    return due;
  }

  /** Removes and returns every waiting text (a STOP or a Do Not Contact entry cancels them all). */
  takeAll(): ScheduledText[] {
    const all = [...this.items];
    if (all.length > 0) this.state.scheduled = [];
    return all;
  }

  /** The lead's opt-in that waits for the window, if any: a second text for the lead must not queue another. */
  optInFor(leadId: string): ScheduledText | undefined {
    return this.items.find((item) => item.kind === 'opt_in' && item.leadId === leadId);
  }

  /**
   * Makes the texts due now (all of them, or one lead's), so the send activity plans each again with the account's
   * window and the lead's zone as they are now: a wider window sends them, a narrower one schedules them later.
   */
  replan(now: number, leadId?: string): void {
    if (this.items.length === 0) return;
    // Array.prototype.sort is stable, so texts that become due together keep their queue order.
    this.state.scheduled = this.items
      .map((item) =>
        leadId === undefined || item.leadId === leadId ? { ...item, sendAt: Math.min(item.sendAt, now) } : item,
      )
      .sort((a, b) => a.sendAt - b.sendAt);
  }

  /** Milliseconds until the first text is due; undefined when none waits. */
  msUntilNext(now: number): number | undefined {
    const first = this.items[0];
    return first ? Math.max(first.sendAt - now, 1) : undefined;
  }
}
