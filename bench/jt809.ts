// bench/jt809: positions per second through JT/T 809 against JT/T 808 in the same run.
//   decode: frames pushed in TCP-sized chunks into sessions (framing, unescaping, CRC / check
//           code, header, body, the plate's asset, PositionReport validated with
//           PositionReportSchema as the pipeline's edge does): 809 as 10 platforms × 100 plates
//           (0x1202, 2011 and 2019 layouts), 808 as 1000 terminals (0x0200).
//   tcp:    the same counts over real sockets into the real listeners: one simulated lower platform
//           (Jt809Platform, one main link, as platforms aggregate their vehicles) against 100
//           simulated 808 terminal connections; time from the first byte written to the last fix
//           at the sink.
// Prints one JSON line. BENCH_FRAMES (default 200,000), BENCH_ROUNDS (default 3; best kept).
import net from 'node:net';
import { PositionReportSchema, type PositionReport } from '../lib/domain';
import { encodeFrame as encode808 } from '../server/ingest/jt808/codec';
import { MSG as MSG808, encodeAuthBody, encodeLocationBody } from '../server/ingest/jt808/messages';
import { Jt808TerminalRegistry } from '../server/ingest/jt808/registry';
import { Jt808Session } from '../server/ingest/jt808/session';
import { startJt808Server } from '../server/ingest/jt808/listener';
import { Jt809PlatformRegistry } from '../server/ingest/jt809/authority';
import { encodeFrame as encode809, type Jt809Edition } from '../server/ingest/jt809/codec';
import { MSG, SUB, encodeExchange, encodeLogin, encodePosition } from '../server/ingest/jt809/messages';
import { Jt809Session } from '../server/ingest/jt809/session';
import { startJt809Server } from '../server/ingest/jt809/listener';
import { Jt809Platform } from '../server/ingest/jt809/platform';
import type { IngestSink } from '../server/ingest/types';

const FRAMES = Number(process.env.BENCH_FRAMES ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CHUNK = 1460;
const PLATFORMS = 10;
const PLATES = 100; // per platform
const TERMINALS = 1000;
const t0 = Date.UTC(2026, 0, 1);

function validatingSink(onReport: () => void): IngestSink {
  return {
    position: (p: PositionReport) => {
      if (PositionReportSchema.safeParse(p).success) onReport();
    },
    vesselStatic() {},
    rejected() {},
    ignored() {},
  };
}

const chunked = (all: Buffer): Buffer[] => {
  const out: Buffer[] = [];
  for (let at = 0; at < all.length; at += CHUNK) out.push(all.subarray(at, at + CHUNK));
  return out;
};
const fixOf = (i: number, k: number) => ({ lat: 22.5 + (i % 1000) / 10_000, lon: 114 + (i % 777) / 10_000, time: t0 + k * 10_000, speed: i % 90, course: i % 360, altitude: 20 });
const plateOf = (p: number, v: number) => `粤B${String(p * PLATES + v).padStart(5, '0')}`;

function streams809(edition: Jt809Edition) {
  return Array.from({ length: PLATFORMS }, (_, p) => {
    const frames: Buffer[] = [];
    for (let k = 0; p + k * PLATFORMS < FRAMES; k++) {
      const i = p + k * PLATFORMS;
      const body = encodeExchange(plateOf(p, k % PLATES), 2, SUB.REAL_LOCATION, encodePosition(fixOf(i, k), edition));
      frames.push(encode809({ msgId: MSG.UP_EXG_MSG, sn: k, centerId: 1000 + p, body, edition, time: t0 }));
    }
    const login = encode809({
      msgId: MSG.UP_CONNECT_REQ,
      sn: 0,
      centerId: 1000 + p,
      body: encodeLogin({ userId: p, password: 'bench809', centerId: 1000 + p, downLinkIp: '', downLinkPort: 0 }, edition),
      edition,
    });
    const all = Buffer.concat(frames);
    return { login, all, chunks: chunked(all) };
  });
}
const registry809 = () => new Jt809PlatformRegistry(Array.from({ length: PLATFORMS }, (_, p) => ({ accessCode: 1000 + p, userId: p, password: 'bench809' })));

function round809(streams: ReturnType<typeof streams809>): number {
  let reports = 0;
  const sink = validatingSink(() => reports++);
  const authority = registry809();
  const sessions = streams.map((s) => {
    const session = new Jt809Session({ sink, authority, send: () => {}, downLink: false });
    session.push(s.login);
    return session;
  });
  const start = performance.now();
  const maxChunks = Math.max(...streams.map((s) => s.chunks.length));
  for (let c = 0; c < maxChunks; c++) for (let t = 0; t < streams.length; t++) if (streams[t]!.chunks[c]) sessions[t]!.push(streams[t]!.chunks[c]!);
  const ms = performance.now() - start;
  if (reports !== FRAMES) throw new Error(`809: ${reports} of ${FRAMES}`);
  return ms;
}

const phones = Array.from({ length: TERMINALS }, (_, i) => `0139${String(i).padStart(8, '0')}`);
const streams808 = phones.map((phone, ti) => {
  const frames: Buffer[] = [];
  for (let k = 0; ti + k * TERMINALS < FRAMES; k++)
    frames.push(encode808({ msgId: MSG808.LOCATION, phone, serial: k & 0xffff, body: encodeLocationBody(fixOf(ti + k * TERMINALS, k)) }));
  const all = Buffer.concat(frames);
  return { phone, auth: encode808({ msgId: MSG808.AUTH, phone, serial: 0xffff, body: encodeAuthBody('bench') }), all, chunks: chunked(all) };
});

function round808(): number {
  let reports = 0;
  const sink = validatingSink(() => reports++);
  const authority = new Jt808TerminalRegistry({ acceptUnknownAuthCodes: true });
  const sessions = streams808.map((s) => {
    const session = new Jt808Session({ sink, authority, send: () => {} });
    session.push(s.auth);
    return session;
  });
  const start = performance.now();
  const maxChunks = Math.max(...streams808.map((s) => s.chunks.length));
  for (let c = 0; c < maxChunks; c++) for (let t = 0; t < streams808.length; t++) if (streams808[t]!.chunks[c]) sessions[t]!.push(streams808[t]!.chunks[c]!);
  const ms = performance.now() - start;
  if (reports !== FRAMES) throw new Error(`808: ${reports} of ${FRAMES}`);
  return ms;
}

function best(fn: () => number): number {
  fn();
  let ms = Infinity;
  for (let r = 0; r < ROUNDS; r++) ms = Math.min(ms, fn());
  return Math.round(FRAMES / (ms / 1000));
}

async function tcp809(): Promise<number> {
  let reports = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const sink = validatingSink(() => {
    if (++reports === FRAMES) done();
  });
  const server = await startJt809Server({
    port: 0,
    host: '127.0.0.1',
    sink,
    authority: new Jt809PlatformRegistry([{ accessCode: 1, userId: 1, password: 'bench809' }]),
    downLink: false,
  });
  const platform = new Jt809Platform({ port: server.port, accessCode: 1, userId: 1, password: 'bench809', downLink: false });
  await platform.connect();
  if ((await platform.login()).result !== 0) throw new Error('809 login');
  const all = Buffer.concat(Array.from({ length: FRAMES }, (_, i) => platform.positionFrame(plateOf(0, i % PLATES), 2, fixOf(i, i))));
  const start = performance.now();
  platform.write(all);
  await finished;
  const ms = performance.now() - start;
  await platform.close();
  await server.close();
  return Math.round(FRAMES / (ms / 1000));
}

async function tcp808(): Promise<number> {
  let reports = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const sink = validatingSink(() => {
    if (++reports === FRAMES) done();
  });
  const server = await startJt808Server({ port: 0, host: '127.0.0.1', sink, authority: new Jt808TerminalRegistry({ acceptUnknownAuthCodes: true }) });
  const N = 100;
  const sockets = await Promise.all(
    Array.from(
      { length: N },
      () =>
        new Promise<net.Socket>((r) => {
          const s = net.connect(server.port, '127.0.0.1', () => r(s));
          s.on('data', () => {});
        }),
    ),
  );
  const payloads = sockets.map((_, t) => {
    const phone = phones[t]!;
    const frames = [encode808({ msgId: MSG808.AUTH, phone, serial: 0xffff, body: encodeAuthBody('bench') })];
    for (let k = 0; t + k * N < FRAMES; k++) frames.push(encode808({ msgId: MSG808.LOCATION, phone, serial: k & 0xffff, body: encodeLocationBody(fixOf(t + k * N, k)) }));
    return Buffer.concat(frames);
  });
  const start = performance.now();
  sockets.forEach((s, t) => s.write(payloads[t]!));
  await finished;
  const ms = performance.now() - start;
  for (const s of sockets) s.destroy();
  await server.close();
  return Math.round(FRAMES / (ms / 1000));
}

const s2011 = streams809(2011);
const s2019 = streams809(2019);
const decode809_2011 = best(() => round809(s2011));
const decode809_2019 = best(() => round809(s2019));
const decode808 = best(round808);
const tcp809Rate = await tcp809();
const tcp808Rate = await tcp808();

console.log(
  JSON.stringify({
    bench: 'jt809',
    node: process.version,
    frames: FRAMES,
    rounds: ROUNDS,
    wire_bytes_per_fix_809_2011: Number((s2011.reduce((n, s) => n + s.all.length, 0) / FRAMES).toFixed(1)),
    wire_bytes_per_fix_809_2019: Number((s2019.reduce((n, s) => n + s.all.length, 0) / FRAMES).toFixed(1)),
    wire_bytes_per_fix_808: Number((streams808.reduce((n, s) => n + s.all.length, 0) / FRAMES).toFixed(1)),
    decode_jt809_2011_fixes_per_s: decode809_2011,
    decode_jt809_2019_fixes_per_s: decode809_2019,
    baseline_decode_jt808_fixes_per_s: decode808,
    ratio_decode_809_2011_vs_808: Number((decode809_2011 / decode808).toFixed(2)),
    ratio_decode_809_2019_vs_808: Number((decode809_2019 / decode808).toFixed(2)),
    tcp_jt809_fixes_per_s: tcp809Rate,
    baseline_tcp_jt808_fixes_per_s: tcp808Rate,
    ratio_tcp_809_vs_808: Number((tcp809Rate / tcp808Rate).toFixed(2)),
  }),
);
