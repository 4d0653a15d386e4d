// The node under load, as its own process (bench/load/nodeProcess.ts starts it): the app's own
// start function with the ingest listeners on free ports and no Next.js (no pages are asked for).
// It says where it listens over IPC, reports its store backlog and event-loop delay every second,
// profiles itself between "profile start" and "profile stop" (the V8 profiler, as --cpu-prof, but
// over the steps only, not start-up), and on "stop" closes like a real shutdown.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startApp } from '../../server/app';
import { loadConfig } from '../../server/config';

const name = process.env.TW_NODE_ID ?? 'node';
const app = await startApp(loadConfig(process.env), {
  say: (m) => console.error(`[${name}] ${m}`),
  ingest: true,
  onLeaseLost: () => process.exit(1),
});
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const send = (m: unknown) => process.send?.(m);
send({ ready: true, port: app.port, jt808: app.listeners?.ports.jt808, ais: app.listeners?.ports.ais });
const stats = setInterval(() => {
  send({ stats: true, pending: app.writer.pending, lagP99Ms: delay.percentile(99) / 1e6, lagMaxMs: delay.max / 1e6 });
  delay.reset();
}, 1000);
const inspector = new Session();
process.on('message', (m: { stop?: boolean; profile?: 'start' | 'stop'; file?: string }) => {
  if (m.profile === 'start') {
    inspector.connect();
    void inspector
      .post('Profiler.enable')
      .then(() => inspector.post('Profiler.setSamplingInterval', { interval: 1000 }))
      .then(() => inspector.post('Profiler.start'));
    return;
  }
  if (m.profile === 'stop') {
    void inspector.post('Profiler.stop').then(({ profile }) => {
      writeFileSync(m.file!, JSON.stringify(profile));
      inspector.disconnect();
      send({ profiled: m.file });
    });
    return;
  }
  if (!m.stop) return;
  clearInterval(stats);
  void app.close().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
