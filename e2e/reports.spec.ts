// /reports through the real UI: admin (HQ) picks a past day, downloads the XLSX, and its figures
// match SQL run straight on the database for the same China Standard Time day; the print view
// shows the table on a light page without navigation or buttons. The day is one the demo feed does
// not write to (2025-01-15), filled here with movements and alerts on the demo routes, so the
// figures hold still while they are compared.
import { test, expect, type Page } from '@playwright/test';
import pg from 'pg';
import readXlsxFile from 'read-excel-file/node';

const DAY = '2025-01-15';
const FROM = `${DAY}T00:00:00+08:00`;
const TO = '2025-01-16T00:00:00+08:00';
const SCREENSHOTS = process.env.REPORTS_SCREENSHOTS; // a folder: save the page and its print view there

async function withDb<T>(fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

/** Movements on three demo routes that day (one cancelled, one never arrived, one late), and alerts. */
async function seedDay(db: pg.Client): Promise<void> {
  const run = Date.now().toString(36);
  await db.query(
    `INSERT INTO consignments (reference, asset_id, origin_site, dest_site, route_id, departure, deadline, arrived_at, status, districts)
     SELECT 'E2E-REP-' || $1 || '-' || x.n, (SELECT min(id) FROM assets), r.from_site, r.to_site, r.id,
            ($2::date + x.dep)::timestamp AT TIME ZONE 'Asia/Shanghai', ($2::date + x.dl)::timestamp AT TIME ZONE 'Asia/Shanghai',
            ($2::date + x.arr)::timestamp AT TIME ZONE 'Asia/Shanghai', x.st, touched_districts(r.from_site, r.to_site, r.id)
     FROM (VALUES (1, 0, interval '8 h', interval '14 h', interval '12 h', 'arrived'),
                  (2, 0, interval '9 h', interval '12 h', interval '13.5 h', 'arrived'),
                  (3, 1, interval '10 h', interval '16 h', interval '15 h', 'arrived'),
                  (4, 2, interval '11 h', interval '17 h', NULL, 'closed'),
                  (5, 1, interval '23 h', interval '29 h', interval '26 h', 'arrived'),
                  (6, 2, interval '12 h', interval '18 h', NULL, 'cancelled')) x(n, k, dep, dl, arr, st)
     JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS k, * FROM routes) r ON r.k = x.k`,
    [run, DAY],
  );
  await db.query(
    `INSERT INTO alerts (type, severity, asset_id, consignment_id, time, geom, districts, state)
     SELECT x.type, x.sev, c.asset_id, c.id, c.departure + interval '1 h', CASE WHEN x.at IS NOT NULL THEN ST_LineInterpolatePoint(r.path, x.at) END, c.districts, 'resolved'
     FROM (VALUES ('ROUTE_DEVIATION', 'critical', 1, 0.5), ('ROUTE_DEVIATION', 'critical', 2, 0.5), ('ROUTE_DEVIATION', 'critical', 3, 0.3),
                  ('SEAL_ALARM', 'critical', 2, NULL), ('OVERDUE', 'warning', 4, NULL), ('ARRIVED', 'info', 1, NULL)) x(type, sev, n, at)
     JOIN consignments c ON c.reference = 'E2E-REP-' || $1 || '-' || x.n
     JOIN routes r ON r.id = c.route_id`,
    [run],
  );
}

type Figures = [string, number, number, number, number | null, number | null, number];

/**
 * The day's figures by plain SQL, as HQ sees them: per direct customs (a movement or an alert in
 * each one it touches, itself or an office under it), then the total; movements by departure,
 * cancelled ones out; alerts by their time, information out. [code, movements, arrived, on time,
 * on-time rate, mean transit in minutes to 0.1, alerts].
 */
async function expected(db: pg.Client): Promise<Figures[]> {
  const { rows } = await db.query(
    `WITH mv AS (SELECT * FROM consignments WHERE departure >= $1 AND departure < $2 AND status <> 'cancelled'),
          al AS (SELECT * FROM alerts WHERE time >= $1 AND time < $2 AND severity <> 'info'),
          direct AS (SELECT code, CASE level WHEN 'direct' THEN code WHEN 'office' THEN parent END AS top FROM districts),
          m AS (SELECT DISTINCT d.top, mv.id, mv.departure, mv.deadline, mv.arrived_at FROM mv, unnest(mv.districts) x(code) JOIN direct d USING (code) WHERE d.top IS NOT NULL
                UNION ALL SELECT 'total', mv.id, mv.departure, mv.deadline, mv.arrived_at FROM mv),
          a AS (SELECT DISTINCT d.top, al.id FROM al, unnest(al.districts) x(code) JOIN direct d USING (code) WHERE d.top IS NOT NULL
                UNION ALL SELECT 'total', al.id FROM al),
          keys AS (SELECT top FROM m UNION SELECT top FROM a)
     SELECT k.top,
            (SELECT count(*) FROM m WHERE m.top = k.top)::int AS movements,
            (SELECT count(arrived_at) FROM m WHERE m.top = k.top)::int AS arrived,
            (SELECT count(*) FROM m WHERE m.top = k.top AND arrived_at <= deadline)::int AS on_time,
            (SELECT round((avg(extract(epoch FROM arrived_at - departure)) / 60)::numeric, 1)::float8 FROM m WHERE m.top = k.top) AS mean_min,
            (SELECT count(*) FROM a WHERE a.top = k.top)::int AS alerts
     FROM keys k ORDER BY k.top = 'total', k.top`,
    [FROM, TO],
  );
  return rows.map((r) => [r.top, r.movements, r.arrived, r.on_time, r.arrived ? r.on_time / r.arrived : null, r.mean_min, r.alerts]);
}

async function signInAdmin(page: Page): Promise<void> {
  await page.goto('/login?next=/reports');
  await page.getByLabel(/用户名/).fill('admin');
  await page.getByLabel(/密码/).fill('e2e-admin-password');
  await page.getByRole('button', { name: /登录/ }).click();
  await page.waitForURL((u) => u.pathname === '/reports');
}

test('admin downloads the XLSX of a day; its figures match SQL; the print view shows the table', async ({ page }) => {
  await withDb(seedDay);
  const want = await withDb(expected);
  expect(want.at(-1)![1], 'five movements that day (one more cancelled)').toBe(5);

  await signInAdmin(page);
  await expect(page.getByTestId('report-table')).toBeVisible();
  await page.getByTestId('report-date').fill(DAY);
  await expect(page.getByTestId('report-period')).toContainText(DAY);
  const total = page.getByTestId('report-total');
  await expect(total.locator('td').first()).toHaveText(String(want.at(-1)![1]));

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-xlsx').click()]);
  expect(download.suggestedFilename()).toBe(`transitwatch-report-day-${DAY}-district.xlsx`);
  const sheets = await readXlsxFile(await download.path());
  expect(sheets.map((s) => s.sheet)).toEqual(['汇总 Summary', '告警 Alerts by type', '偏离热点 Deviation spots']);
  const summary = sheets[0]!.data;
  expect(String(summary[0]![0])).toContain(DAY);
  const got = summary
    .slice(2)
    .map((r): Figures => [
      r[0] === '合计 Total' ? 'total' : String(r[0]),
      Number(r[3]),
      Number(r[4]),
      Number(r[5]),
      r[6] == null ? null : Number(r[6]),
      r[7] == null ? null : Number(r[7]),
      Number(r[8]),
    ]);
  expect(got).toEqual(want);
  // Alerts by type, the total's: two types beside the deviations, information left out.
  const byType = Object.fromEntries(sheets[1]!.data.filter((r) => r[0] === '合计 Total').map((r) => [String(r[2]), Number(r[4])]));
  expect(byType).toEqual({ ROUTE_DEVIATION: 3, SEAL_ALARM: 1, OVERDUE: 1 });
  // Deviation spots: the two at mid-route in one cell.
  expect(sheets[2]!.data.slice(1).map((r) => Number(r[3]))[0]).toBe(2);

  await expect(page.getByTestId('report-bars').locator('li')).toHaveCount(3);
  await expect(page.getByTestId('report-spots').locator('tbody tr').first()).toContainText('2');
  await page.locator('.report-map canvas').first().waitFor();
  await page.waitForTimeout(1500); // tiles and the overlay drawn, for the picture
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/reports-page.png`, fullPage: true });

  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('report-table')).toBeVisible();
  await expect(page.getByTestId('report-spots')).toBeVisible();
  await expect(page.locator('header.topbar')).toBeHidden();
  await expect(page.getByTestId('report-xlsx')).toBeHidden();
  await expect(page.getByTestId('report-print')).toBeHidden();
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
  expect(await page.getByTestId('report-table').evaluate((t) => getComputedStyle(t.querySelector('td')!).color)).toBe('rgb(17, 17, 17)');
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/reports-print.png`, fullPage: true });
});
