// What every start puts into the database before loading from it: the customs district tree in every
// deployment, then the demo world with SIM only, then `admin` (and the demo accounts with SIM only).
import type pg from 'pg';
import type { Config } from './config';
import { seedDistrictTree } from './auth/districtSeed';
import { seedUsers } from './auth/seedUsers';
import { seedWorld } from './sim/seed';

export async function seedDeployment(pool: pg.Pool, config: Pick<Config, 'SIM' | 'TW_ADMIN_PASSWORD' | 'TW_DEMO_PASSWORD'>, say: (msg: string) => void): Promise<void> {
  await seedDistrictTree(pool, say);
  if (config.SIM) await seedWorld(pool, say);
  await seedUsers(pool, { adminPassword: config.TW_ADMIN_PASSWORD, demoPassword: config.TW_DEMO_PASSWORD, demo: config.SIM }, say);
}
