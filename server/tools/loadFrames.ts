// What the load generator (bench/load/) puts on the wire, and how it finds a fix's send time again
// when a live frame shows it. Kept here, beside a test that feeds these bytes to the real decoders.
//
// A JT/T 808 fix has whole-second time, so several fixes of one terminal share a time: each gets
// its own position instead (the n-th fix of a second is n micro-degrees north of the track), and
// the send log finds it by (time, latitude, longitude) as the frame carries them. An AIS line says
// its time in a tag block in ms (`c:`), which becomes the fix time: the frame's time is the send time.
import { encodeFrame } from '../ingest/jt808/codec';
import { MSG, encodeLocationBody } from '../ingest/jt808/messages';
import { encodeType1, nmeaChecksum } from '../sim/wire/aisEncode';

export interface LoadFix {
  lon: number;
  lat: number;
  /** ms; a JT/T 808 frame keeps whole seconds. */
  time: number;
  speed: number;
  course: number;
  /** JT/T 808 alarm flags (the seal bit raises SEAL_ALARM). */
  alarm?: number;
}

/** A 0x0200 location report from terminal `phone` (2013 header). */
export function jt808FixFrame(phone: string, serial: number, fix: LoadFix): Buffer {
  return encodeFrame({ msgId: MSG.LOCATION, phone, serial: serial & 0xffff, body: encodeLocationBody({ ...fix, extras: { satellites: 12 } }) });
}

/** One AIVDM type 1 line with its send time as the tag block's `c:` (ms), newline-terminated. */
export function aisFixLine(mmsi: string, fix: LoadFix, sentMs: number): string {
  const tag = `c:${Math.round(sentMs)}`;
  return `\\${tag}*${nmeaChecksum(tag)}\\${encodeType1({ mmsi, lon: fix.lon, lat: fix.lat, sogKn: fix.speed / 1.852, cog: fix.course, navStatus: 0 })[0]}\n`;
}

/** Micro-degrees, as JT/T 808 carries a coordinate. */
export const e6 = (deg: number): number => Math.round(deg * 1e6);

/**
 * Per asset, the last `capacity` fixes sent (whole-second time, position in micro-degrees, send
 * time in ms) in a ring; `find` looks from the newest back, since a frame shows a recent fix.
 */
export class SendLog {
  private readonly time: Float64Array;
  private readonly lat: Int32Array;
  private readonly lon: Int32Array;
  private readonly sent: Float64Array;
  private next = 0;
  private size = 0;

  constructor(private readonly capacity = 1024) {
    this.time = new Float64Array(capacity);
    this.lat = new Int32Array(capacity);
    this.lon = new Int32Array(capacity);
    this.sent = new Float64Array(capacity);
  }

  record(fixTimeMs: number, latE6: number, lonE6: number, sentMs: number): void {
    const i = this.next;
    this.time[i] = Math.floor(fixTimeMs / 1000) * 1000;
    this.lat[i] = latE6;
    this.lon[i] = lonE6;
    this.sent[i] = sentMs;
    this.next = (i + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** The send time of the fix shown as (time, lat, lon), or undefined when it is not (or no longer) logged. */
  find(fixTimeMs: number, lat: number, lon: number): number | undefined {
    const t = Math.floor(fixTimeMs / 1000) * 1000;
    const la = e6(lat);
    const lo = e6(lon);
    for (let k = 1; k <= this.size; k++) {
      const i = (this.next - k + this.capacity) % this.capacity;
      if (this.time[i] === t && this.lat[i] === la && this.lon[i] === lo) return this.sent[i];
      if (this.time[i]! < t - 5000) return undefined; // older than anything a frame could show
    }
    return undefined;
  }
}
