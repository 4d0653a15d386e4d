// A growing list of numbers and its percentiles.
export class Samples {
  private data = new Float64Array(1 << 16);
  count = 0;

  add(v: number): void {
    if (this.count === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.count++] = v;
  }

  reset(): void {
    this.count = 0;
  }

  /** The p-th percentile (0–100), nearest rank; null with no samples. */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    const sorted = this.data.slice(0, this.count).sort();
    return sorted[Math.min(this.count - 1, Math.max(0, Math.ceil((p / 100) * this.count) - 1))]!;
  }
}
