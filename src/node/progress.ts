/**
 * A progress bar on stderr: redrawn in place on a terminal, a line per 10% otherwise. Work that
 * finishes within half a second prints nothing.
 */
export class Progress {
  private lastPct = -1;
  private shown = false;
  private t0 = Date.now();
  private tty = !!process.stderr.isTTY;

  constructor(private label: string, public total: number) {}

  update(done: number): void {
    const pct = this.total > 0 ? Math.min(100, Math.floor((100 * done) / this.total)) : 100;
    const secs = (Date.now() - this.t0) / 1000;
    if (!this.shown && secs < 0.5) return;
    if (pct === this.lastPct || (!this.tty && pct < 100 && pct - this.lastPct < 10 && this.lastPct >= 0)) return;
    this.lastPct = pct;
    this.shown = true;
    const eta = done > 0 && pct < 100 ? ` eta ${((secs * (this.total - done)) / done).toFixed(0)} s` : '';
    const width = 30, fill = Math.round((width * pct) / 100);
    const bar = `${this.label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${String(pct).padStart(3)}% ${secs.toFixed(1)} s${eta}`;
    if (this.tty) process.stderr.write(`\r${bar}\x1b[K`);
    else process.stderr.write(bar + '\n');
  }

  done(): void {
    if (!this.shown) return;
    this.update(this.total);
    if (this.tty) process.stderr.write('\n');
  }
}
