// Progress on stderr: a redrawn bar with count, rate and ETA on a terminal; plain lines otherwise.

export interface ProgressStream {
  isTTY?: boolean;
  write(s: string): unknown;
}

export class Progress {
  /** Set by the first update, so the rate counts letter-making time only (not reading the input). */
  private started: number | undefined;
  private lastDraw = 0;

  constructor(
    private readonly stream: ProgressStream,
    /** Minimum milliseconds between updates (plain lines are rarer than bar redraws). */
    private readonly interval = stream.isTTY ? 200 : 5000,
  ) {}

  update(done: number, total: number): void {
    const now = Date.now();
    this.started ??= now;
    if (done < total && now - this.lastDraw < this.interval) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = done === total ? '已完成' : rate > 0 ? `剩余约 ${Math.round((total - done) / rate)} 秒` : '剩余时间估算中';
    const stats = `${done}/${total} 份  ${rate.toFixed(1)} 份/秒  ${eta}`;
    if (this.stream.isTTY) {
      const width = 30;
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${stats}${done === total ? '\n' : ''}`);
    } else {
      this.stream.write(`进度：${stats}\n`);
    }
  }
}
