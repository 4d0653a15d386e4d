// `npm start`: builds the production bundle and the offline basemap when they are missing or
// older than the sources (with a visible progress line), then runs the server.
import { spawnSync } from 'node:child_process';
import { buildIsStale } from '../scripts/buildState';

if (buildIsStale()) {
  console.log('[transitwatch] building the app (first start or sources changed; about a minute)…');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
(process.env as Record<string, string>).NODE_ENV ??= 'production';
await import('./index');
