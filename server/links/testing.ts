// A small customs world for the link tests, and a running server on it (real PostGIS, movements,
// alerts, rules). Two direct customs: Shanghai 2200 (office Yangshan 2248 under it) and Guangzhou
// 5100. Sites: Yangshan terminal YS-TERM (port_terminal, 2248), Waigaoqiao bonded zone WGQ-BZ
// (bonded_zone, 2200), Guangzhou warehouse GZ-WH (warehouse, 5100). Approved route YS-WGQ from
// YS-TERM to WGQ-BZ (corridor 500 m). Trucks 沪A12345 (tel:013900000001, 2200) and 粤B54321
// (tel:013900000002, 5100); vessel COSCO TEST (mmsi:413000001, IMO 9000001).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { startApp, type App, type RequestHandler } from '../app';
import { loadConfig } from '../config';
import { issueIngestToken } from '../ingest/tokens';
import type { LinkCaller } from './types';

const box = (x0: number, y0: number, x1: number, y1: number) => `ST_Multi(ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 4326))`;

export const WORLD = {
  sites: { terminal: 'YS-TERM', bonded: 'WGQ-BZ', gzWarehouse: 'GZ-WH' },
  route: 'YS-WGQ',
  trucks: { sh: { plate: '沪A12345', key: 'tel:013900000001' }, gz: { plate: '粤B54321', key: 'tel:013900000002' } },
  vessel: { mmsi: '413000001', imo: '9000001', name: 'COSCO TEST', key: 'mmsi:413000001' },
} as const;

export async function seedLinkWorld(pool: pg.Pool): Promise<void> {
  await pool.query(`
    INSERT INTO districts (code, name_zh, name_en, level, parent, area) VALUES
      ('0000', '海关总署', 'HQ', 'hq', NULL, ${box(73, 3, 136, 54)}),
      ('2200', '上海海关', 'Shanghai', 'direct', '0000', ${box(120.8, 30.4, 122.5, 31.9)}),
      ('2248', '洋山海关', 'Yangshan', 'office', '2200', ${box(121.9, 30.5, 122.2, 30.7)}),
      ('5100', '广州海关', 'Guangzhou', 'direct', '0000', ${box(112, 22, 114.5, 24)});
    INSERT INTO sites (code, name_zh, name_en, kind, district, area) VALUES
      ('YS-TERM', '洋山港区', 'Yangshan terminal', 'port_terminal', '2248', ST_MakeEnvelope(122.02, 30.60, 122.06, 30.63, 4326)),
      ('WGQ-BZ', '外高桥保税区', 'Waigaoqiao bonded zone', 'bonded_zone', '2200', ST_MakeEnvelope(121.58, 31.33, 121.62, 31.36, 4326)),
      ('GZ-WH', '广州监管仓', 'Guangzhou warehouse', 'warehouse', '5100', ST_MakeEnvelope(113.20, 23.10, 113.22, 23.12, 4326));
    INSERT INTO routes (code, name_zh, name_en, from_site, to_site, corridor_m, path, corridor)
    SELECT 'YS-WGQ', '洋山—外高桥', 'Yangshan–Waigaoqiao', f.id, t.id, 500, p.g, ST_Buffer(p.g::geography, 500)::geometry
    FROM sites f, sites t, (SELECT ST_SetSRID(ST_MakeLine(ARRAY[ST_MakePoint(122.04, 30.615), ST_MakePoint(121.95, 30.85), ST_MakePoint(121.60, 31.345)]), 4326) AS g) p
    WHERE f.code = 'YS-TERM' AND t.code = 'WGQ-BZ';
    INSERT INTO assets (key, kind, label, plate, terminal, district) VALUES
      ('tel:013900000001', 'vehicle', '沪A12345', '沪A12345', '013900000001', '2200'),
      ('tel:013900000002', 'vehicle', '粤B54321', '粤B54321', '013900000002', '5100');
    INSERT INTO assets (key, kind, label, mmsi, imo, ais_class, district) VALUES
      ('mmsi:413000001', 'vessel', 'COSCO TEST', '413000001', '9000001', 'A', '2200');`);
}

export interface LinkTestServer {
  db: TestDatabase;
  app: App;
  /** The folder the inboxes live under (removed by close()). */
  linksDir: string;
  /** A caller as an HQ, Shanghai or Guangzhou system would be. */
  caller(district: '0000' | '2200' | '2248' | '5100', source?: string): LinkCaller;
  /** An ingest token for the links, scoped to a district (`links` or `link:<system>`). */
  token(name: string, district: string, kind?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A server on a fresh database seeded with seedLinkWorld (and `more`), no demo, no listeners;
 * `handler` answers what the server itself does not (as Next does in production).
 */
export async function startLinkTestServer(more?: (pool: pg.Pool) => Promise<void>, env: Record<string, string> = {}, handler?: RequestHandler): Promise<LinkTestServer> {
  const db = await freshDatabase();
  const linksDir = mkdtempSync(join(tmpdir(), 'tw-links-'));
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM: '0',
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
    DATA_DIR: linksDir,
    LINKS_DIR: join(linksDir, 'links'),
    LINKS_INBOX_POLL_MS: '0',
    ...env,
  });
  const app = await startApp(config, {
    handler,
    say: () => {},
    seed: async (pool) => {
      await seedLinkWorld(pool);
      await more?.(pool);
    },
  });
  return {
    db,
    app,
    linksDir: join(linksDir, 'links'),
    caller: (district, source = `http:test-${district}`) => ({ source, district, userId: null, via: 'http' }),
    token: async (name, district, kind = 'links') => (await issueIngestToken(db.pool, { name, district, kind })).token,
    async close() {
      await app.close();
      await db.drop();
      rmSync(linksDir, { recursive: true, force: true });
    },
  };
}
