// A truck's place on its route's path after so many metres (flat-earth steps between vertices are
// plenty at this scale), and its course there.
import type { LonLat } from './provision';

const M_PER_DEG_LAT = 111_320;

export class Track {
  private readonly cum: number[] = [0];

  constructor(private readonly path: LonLat[]) {
    for (let i = 1; i < path.length; i++) this.cum.push(this.cum[i - 1]! + metres(path[i - 1]!, path[i]!));
  }

  get length(): number {
    return this.cum.at(-1)!;
  }

  at(m: number): { lon: number; lat: number; course: number } {
    const d = Math.max(0, Math.min(m, this.length));
    let i = 1;
    while (i < this.cum.length - 1 && this.cum[i]! < d) i++;
    const a = this.path[i - 1]!;
    const b = this.path[i]!;
    const seg = this.cum[i]! - this.cum[i - 1]!;
    const f = seg > 0 ? (d - this.cum[i - 1]!) / seg : 0;
    const course = (Math.atan2((b[0] - a[0]) * Math.cos((a[1] * Math.PI) / 180), b[1] - a[1]) * 180) / Math.PI;
    return { lon: a[0] + (b[0] - a[0]) * f, lat: a[1] + (b[1] - a[1]) * f, course: (course + 360) % 360 };
  }
}

function metres(a: LonLat, b: LonLat): number {
  const dx = (b[0] - a[0]) * M_PER_DEG_LAT * Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  const dy = (b[1] - a[1]) * M_PER_DEG_LAT;
  return Math.hypot(dx, dy);
}
