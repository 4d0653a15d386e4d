// Production build: the offline basemap and maplibre's worker into public/, then `next build`.
import { spawnSync } from 'node:child_process';

function run(label: string, cmd: string, args: string[]): void {
  const t = Date.now();
  console.log(`[build] ${label}…`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) {
    console.error(`[build] ${label} failed`);
    process.exit(r.status ?? 1);
  }
  console.log(`[build] ${label} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

run('offline basemap (public/basemap.pmtiles)', process.execPath, ['--import', 'tsx', 'scripts/build-basemap.ts']);
run('Next.js production bundle', process.execPath, ['node_modules/next/dist/bin/next', 'build']);
