/** Latency samples in milliseconds, with nearest-rank percentiles. */
export class LatencySamples {
  private samples: number[] = [];
  private sorted = true;

  add(ms: number): void {
    this.samples.push(ms);
    this.sorted = false;
  }

  get count(): number {
    return this.samples.length;
  }

  percentile(p: number): number | null {
    if (this.samples.length === 0) return null;
    if (!this.sorted) {
      this.samples.sort((a, b) => a - b);
      this.sorted = true;
    }
    const rank = Math.ceil((p / 100) * this.samples.length);
    return this.samples[Math.min(this.samples.length, Math.max(1, rank)) - 1]!;
  }

  max(): number | null {
    return this.percentile(100);
  }
}

export function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 100) / 100;
}
