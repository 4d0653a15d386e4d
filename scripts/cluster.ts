// `npm run cluster -- --web 2 --ingest 2 --rules 2`: TransitWatch as several nodes on one machine, for
// trying and testing the 1+N layout (server/cluster/README.md). Starts the rules node (and --rules − 1
// standbys, which take over when it dies: kill it to see), the web nodes behind
// a round-robin front door on PORT (default 3000), and the ingest nodes behind front doors on the
// JT/T 808 and AIS TCP ports; the demo feed runs on the first ingest node (or the first web node).
// Needs DATABASE_URL (a PostGIS server) and Redis (REDIS_URL, default redis://127.0.0.1:6379).
// Ctrl-C stops every node.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { buildIsStale } from './buildState';
import { startBalancer, type Balancer } from '../server/cluster/balancer';
import { readOptions } from '../server/cliOptions';

const read = readOptions(process.argv.slice(2), ['--web', '--ingest', '--rules']);
if ('bad' in read) {
  console.error(`cluster: ${read.bad}? usage: npm run cluster -- --web N --ingest M --rules K`);
  process.exit(2);
}
const webCount = Number(read.opts.web ?? 2);
const ingestCount = Number(read.opts.ingest ?? 1);
const rulesCount = Number(read.opts.rules ?? 1);
const PORT = Number(process.env.PORT ?? 3000);
const JT808 = Number(process.env.JT808_PORT ?? 6808);
const AIS = Number(process.env.AIS_PORT ?? 10110);
if (!process.env.DATABASE_URL) {
  console.error('cluster: the nodes share one PostgreSQL; set DATABASE_URL (a PostGIS server)');
  process.exit(2);
}
if (!(Number.isInteger(webCount) && Number.isInteger(ingestCount) && Number.isInteger(rulesCount) && webCount >= 1 && ingestCount >= 0 && rulesCount >= 1)) {
  console.error('cluster: --web N (at least 1) --ingest M --rules K (at least 1)');
  process.exit(2);
}

if (buildIsStale()) {
  console.log('[cluster] building the app first…');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const children: ChildProcess[] = [];
const doors: Balancer[] = [];

function node(name: string, env: Record<string, string>): void {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: {
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? 'production',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      TW_NODE_ID: name,
      JT809_PORT: '-1',
      OSMAND_PORT: '-1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((l) => console.log(`[${name}] ${l}`));
  child.stdout!.on('data', prefix);
  child.stderr!.on('data', prefix);
  child.on('exit', (code) => console.log(`[${name}] exited (${code})`));
  children.push(child);
}

// Ports behind the doors: PORT+10… for nodes' HTTP, JT808+10… and AIS+10… for ingest listeners.
const webPorts = Array.from({ length: webCount }, (_, i) => PORT + 11 + i);
const ingestJt808 = Array.from({ length: ingestCount }, (_, i) => JT808 + 11 + i);
const ingestAis = Array.from({ length: ingestCount }, (_, i) => AIS + 11 + i);
const feedOn = ingestCount ? 'ingest-1' : 'web-1';

// The rules node first (it migrates and seeds a new database; the others would wait their turn anyway).
node('rules', {
  TW_ROLES: ingestCount ? 'rules' : 'ingest,rules',
  PORT: String(PORT + 10),
  SIM: '0',
  AIS_PORT: ingestCount ? '-1' : String(AIS + 10),
  JT808_PORT: ingestCount ? '-1' : String(JT808 + 10),
});
// Standbys: rules only; they wait for the lease (server/cluster/rulesLease.ts).
for (let i = 2; i <= rulesCount; i++) node(`rules-${i}`, { TW_ROLES: 'rules', PORT: String(PORT + 50 + i), SIM: '0', AIS_PORT: '-1', JT808_PORT: '-1' });
webPorts.forEach((p, i) =>
  node(`web-${i + 1}`, { TW_ROLES: 'web', PORT: String(p), AIS_PORT: '-1', JT808_PORT: '-1', SIM: feedOn === `web-${i + 1}` ? (process.env.SIM ?? '1') : '0' }),
);
ingestJt808.forEach((p, i) =>
  node(`ingest-${i + 1}`, {
    TW_ROLES: 'ingest',
    PORT: String(PORT + 31 + i),
    JT808_PORT: String(p),
    AIS_PORT: String(ingestAis[i]),
    SIM: feedOn === `ingest-${i + 1}` ? (process.env.SIM ?? '1') : '0',
  }),
);

const host = process.env.HOST ?? '0.0.0.0';
doors.push(await startBalancer(PORT, host, webPorts, (m) => console.log(`[door :${PORT}] ${m}`)));
if (ingestCount) {
  doors.push(await startBalancer(JT808, host, ingestJt808, (m) => console.log(`[door :${JT808}] ${m}`)));
  doors.push(await startBalancer(AIS, host, ingestAis, (m) => console.log(`[door :${AIS}] ${m}`)));
}
console.log(
  `[cluster] 1 rules node and ${rulesCount - 1} standbys, ${webCount} web nodes behind http://localhost:${PORT}, ${ingestCount} ingest nodes behind JT/T 808 :${JT808} and AIS :${AIS}`,
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  for (const d of doors) await d.close();
  // Standbys, web and ingest nodes first, the rules node last: what they forwarded is read before it stops.
  for (const c of [...children.slice(1), children[0]!]) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    c.kill('SIGTERM');
    await new Promise((r) => c.once('exit', r));
  }
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
