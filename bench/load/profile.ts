// The top functions of a V8 CPU profile (a .cpuprofile, as node --cpu-prof writes) by self time, and the share of time per
// area (database driver, Socket.IO, JT/T 808, rules, …), for the report.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const AREAS: [string, RegExp][] = [
  ['pg driver', /node_modules\/pg(-protocol)?\//],
  ['socket.io / ws', /node_modules\/(socket\.io|engine\.io|ws)[^/]*\//],
  ['jt808 ingest', /server\/ingest\/jt808\//],
  ['ais ingest', /server\/ingest\/ais\//],
  ['pipeline + store', /server\/pipeline\//],
  ['rules + geofence', /server\/(rules|geofence|alerts)\//],
  ['live hub', /server\/live\/|lib\/wire/],
  ['ledger', /server\/ledger\//],
  ['zod', /node_modules\/zod\//],
  ['metrics', /node_modules\/prom-client\/|server\/(ingest\/)?metrics/],
  ['other app code', /\/server\/|\/lib\//],
  ['other node_modules', /node_modules\//],
  ['node internals', /^node:|^internal\//],
];

/** Native functions that are socket writes (a write system call each). */
const SOCKET_WRITES = new Set(['writeBuffer', 'writev', 'writeUtf8String', 'writeLatin1String', 'writeAsciiString']);

export function summariseProfile(
  file: string,
  top = 20,
): { total_s: number; idle_pct: number; gc_pct: number; areas_pct: Record<string, number>; top: { fn: string; at: string; self_pct: number }[] } | null {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };
  const hits = new Map<number, number>();
  for (const s of p.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  const total = p.samples.length;
  const byFn = new Map<string, { fn: string; at: string; n: number }>();
  const areas: Record<string, number> = {};
  let idle = 0;
  let gc = 0;
  for (const node of p.nodes) {
    const n = hits.get(node.id) ?? 0;
    if (!n) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += n;
      continue;
    }
    if (functionName === '(garbage collector)') gc += n;
    // Line numbers of modules tsx compiled are not the source's: the file says enough.
    const at = url
      ? url.replace(/^file:\/\/.*?\/(node_modules|server|lib|bench|db)\//, '$1/') + (url.startsWith('node:') || url.includes('node_modules') ? `:${lineNumber + 1}` : '')
      : '';
    const key = `${functionName}@${at}`;
    const e = byFn.get(key) ?? { fn: functionName || '(anonymous)', at, n: 0 };
    e.n += n;
    byFn.set(key, e);
    const area = url
      ? (AREAS.find(([, re]) => re.test(url))?.[0] ?? 'other')
      : SOCKET_WRITES.has(functionName)
        ? 'socket writes (native)'
        : functionName.startsWith('(')
          ? functionName
          : 'native';
    areas[area] = (areas[area] ?? 0) + n;
  }
  const busy = total - idle;
  const pct = (n: number, of = busy) => Number(((100 * n) / Math.max(1, of)).toFixed(1));
  return {
    total_s: Number(((p.endTime - p.startTime) / 1e6).toFixed(1)),
    idle_pct: pct(idle, total),
    gc_pct: pct(gc),
    areas_pct: Object.fromEntries(
      Object.entries(areas)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, pct(v)]),
    ),
    top: [...byFn.values()]
      .sort((a, b) => b.n - a.n)
      .slice(0, top)
      .map((e) => ({ fn: e.fn, at: e.at, self_pct: pct(e.n) })),
  };
}
