/**
 * A one-line progress bar on stderr (redrawn at most ten times a second), or, when stderr is not a terminal
 * (CI, the smoke test), a plain line at every quarter.
 */
export interface Progress {
  tick(count?: number): void;
  done(note?: string): void;
}

const WIDTH = 28;
const REDRAW_MS = 100;

export function startProgress(label: string, total: number): Progress {
  const isTty = Boolean(process.stderr.isTTY);
  const startedAt = Date.now();
  let count = 0;
  let lastDrawAt = 0;
  let lastQuarter = 0;

  const line = () => {
    const fraction = total > 0 ? Math.min(count / total, 1) : 1;
    const filled = Math.round(fraction * WIDTH);
    const seconds = (Date.now() - startedAt) / 1000;
    const rate = seconds > 0 ? count / seconds : 0;
    const eta = rate > 0 ? Math.max(total - count, 0) / rate : Number.NaN;
    const etaText = Number.isFinite(eta) ? `eta ${Math.round(eta)}s` : 'eta ?';
    return (
      `${label.padEnd(22)} [${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${count}/${total} ` +
      `${rate.toFixed(1)}/s ${seconds.toFixed(0)}s ${etaText}`
    );
  };

  const draw = (force: boolean) => {
    if (isTty) {
      if (!force && Date.now() - lastDrawAt < REDRAW_MS) return;
      lastDrawAt = Date.now();
      process.stderr.write(`\r${line()}\x1b[K`);
      return;
    }
    const quarter = total > 0 ? Math.floor((count / total) * 4) : 4;
    if (force || quarter > lastQuarter) {
      lastQuarter = quarter;
      process.stderr.write(`${line()}\n`);
    }
  };

  draw(true);
  return {
    tick(increment = 1) {
      count += increment;
      draw(false);
    },
    done(note) {
      if (isTty) process.stderr.write(`\r${line()}${note ? `  ${note}` : ''}\x1b[K\n`);
      else process.stderr.write(`${line()}${note ? `  ${note}` : ''}\n`);
    },
  };
}
