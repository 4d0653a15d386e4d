// The console's documents of a movement (单证) in a real Chromium against the real server and its
// demo feed: the customs systems' messages told in order (on a movement of its own), a gate that held the truck shown as
// critical, the raw message opened as text (a <script> in it stays text), a new gate pass and an
// inspection flag appearing without a reload, the new timeline kinds in words, and the officer's
// flag-for-inspection button (a viewer has none).
//
// The link systems register themselves in other branches; here the messages are stored the way
// the receiver stores an applied one (server/links/receiver.ts: the row, the movements it touched,
// its ledger entry), straight into the e2e database the server uses (DATABASE_URL).
import { createHash, randomBytes } from 'node:crypto';
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import pg from 'pg';
import { apiAs, signInPage } from './signIn';

const DATABASE_URL = process.env.DATABASE_URL;
const RUN = randomBytes(3).toString('hex'); // MessageIDs unique to this run: the e2e database may be reused
const SOURCE = `http:e2e-documents-${RUN}`;
const SCREENS = 'test-results/screens';

interface Seed {
  system: string;
  messageId: string;
  messageType: string;
  format: 'xml' | 'json';
  sentAt: number;
  raw: string;
  summary: Record<string, unknown>;
}

/** Stores one applied link message for a movement, as the receiver does, in one transaction. */
async function storeMessage(pool: pg.Pool, consignmentId: number, m: Seed): Promise<number> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO link_messages (system, message_id, message_type, format, via, source, district, sent_at, raw, raw_sha256, summary)
       VALUES ($1, $2, $3, $4, 'http', $5, '2200', to_timestamp($6 / 1000.0), $7, $8, $9) RETURNING id`,
      [m.system, m.messageId, m.messageType, m.format, SOURCE, m.sentAt, m.raw, createHash('sha256').update(m.raw).digest(), JSON.stringify(m.summary)],
    );
    const id = Number(rows[0]!.id);
    await c.query('INSERT INTO link_message_movements (message_id, consignment_id) VALUES ($1, $2)', [id, consignmentId]);
    await ledger(c, 'link_message', 'link_messages', id);
    await c.query('COMMIT');
    return id;
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  } finally {
    c.release();
  }
}

/** A timeline event of the movement that a link message caused, chained into the ledger like the links do. */
async function storeEvent(pool: pg.Pool, consignmentId: number, kind: string, time: number, linkMessage: number): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO events (time, kind, consignment_id, asset_id, detail, source, link_message)
       SELECT to_timestamp($1 / 1000.0), $2, c.id, c.asset_id, '{}', $3, $4 FROM consignments c WHERE c.id = $5 RETURNING id`,
      [time, kind, SOURCE, linkMessage, consignmentId],
    );
    await ledger(c, 'event', 'events', rows[0]!.id);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  } finally {
    c.release();
  }
}

/** server/ledger/ledger.ts appendRowEntry, in SQL (the spec does not load the server's modules). */
async function ledger(c: pg.PoolClient, kind: string, table: string, id: number | string): Promise<void> {
  await c.query(
    `SELECT e.entry_seq FROM ledger_row_digests($2, ARRAY[$3::text]) d,
       LATERAL ledger_append($1, jsonb_build_object('table', $2::text, 'id', $3::text, 'digest', encode(d.digest, 'hex'))) e`,
    [kind, table, String(id)],
  );
}

const gateXml = (msgId: string, ie: 'I' | 'E', plate: string, extra: string) => `<?xml version="1.0" encoding="UTF-8"?>
<GATHER_INFO>
  <MSG_ID>${msgId}</MSG_ID>
  <MSG_TYPE>81</MSG_TYPE>
  <AREA_ID>YS-TERM</AREA_ID>
  <CHNL_NO>E03</CHNL_NO>
  <I_E_TYPE>${ie}</I_E_TYPE>
  <SEQ_NO>${msgId}</SEQ_NO>
  <VE_LICENSE_NO>${plate}</VE_LICENSE_NO>
  <CONTA_ID_F>MSKU1234565</CONTA_ID_F>
  <ESEAL_ID>ES0012345678</ESEAL_ID>
  <GROSS_WT>31250</GROSS_WT>
  <PASS_TIME>20261205093000</PASS_TIME>
  ${extra}
</GATHER_INFO>`;

interface Listed {
  id: number;
  reference: string;
  districts: string[];
  asset: { id: number; plate: string | null };
}

/**
 * A movement of this run's own, registered by hand on a truck registered for the run, departed an
 * hour ago: it has no documents yet (the demo's movements are born from documents and have theirs).
 */
async function ownMovement(api: APIRequestContext): Promise<Listed> {
  const headers = { 'x-csrf-token': (await (await api.get('/api/auth/me')).json()).csrf as string };
  const sites = new Set(((await (await api.get('/api/sites')).json()).features as { properties: { code: string } }[]).map((f) => f.properties.code));
  const routes = ((await (await api.get('/api/routes')).json()).features as { properties: { code: string; from: string; to: string } }[]).map((f) => f.properties);
  const route = routes.find((r) => sites.has(r.from) && sites.has(r.to));
  expect(route, 'a route between two sites of 上海海关').toBeTruthy();
  const plate = `沪G${RUN.slice(0, 5).toUpperCase()}`;
  const truck = await api.post('/api/assets', { data: { kind: 'vehicle', plate, plateColor: 2, district: '2200' }, headers });
  expect(truck.status(), await truck.text()).toBe(201);
  const reference = `HAND-DOCS-${RUN}`;
  const now = Date.now();
  const made = await api.post('/api/consignments', {
    data: {
      reference,
      asset: `plate:${plate}`,
      route: route!.code,
      departure: new Date(now - 3600_000).toISOString(),
      deadline: new Date(now + 5 * 3600_000).toISOString(),
      goods: '机电产品',
      carrier: '上海申通国际物流有限公司',
    },
    headers,
  });
  expect(made.status(), await made.text()).toBe(201);
  const list = (await (await api.get(`/api/consignments?q=${encodeURIComponent(reference)}&limit=5`)).json()).items as Listed[];
  const c = list.find((x) => x.reference === reference);
  expect(c?.asset.plate, 'the movement with its truck').toBeTruthy();
  return c!;
}

const groupsOf = (page: Page) => page.getByTestId('document-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-system')));

test.describe('console documents', () => {
  test.skip(!DATABASE_URL, 'seeds link messages into the e2e database: needs DATABASE_URL');
  let pool: pg.Pool;
  test.beforeAll(() => {
    pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  });
  test.afterAll(async () => {
    await pool.end();
  });

  test('documents told in order, a held gate pass in red, the raw message as text, live updates, flag for inspection', async ({ page, baseURL, browser }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const api = await apiAs(baseURL!, 'sh-supervisor');
    const c = await ownMovement(api);
    const now = Date.now();

    // The story so far: the vessel's manifest, the transit declaration, then the origin gate held the truck.
    const trn = await storeMessage(pool, c!.id, {
      system: 'transit',
      messageId: `TRN${RUN}01`,
      messageType: 'TRN_DECL',
      format: 'json',
      sentAt: now - 50 * 60_000,
      raw: JSON.stringify({
        TrnHead: { TrnPreId: `2200${RUN}0001`, TurnNo: `@22${RUN}`, ESealFlag: '1' },
        TrnList: [{ BillNo: 'MSKU2026120501', ShipId: 'UN9000001', VoyageNo: '0412E' }],
      }),
      summary: {
        status: 'released',
        declaration: `2200${RUN}0001`,
        turnNo: `@22${RUN}`,
        bills: ['MSKU2026120501'],
        containers: ['MSKU1234565'],
        eseal: 'ES0012345678',
        plate: c!.asset.plate,
      },
    });
    await storeMessage(pool, c!.id, {
      system: 'manifest',
      messageId: `MFT${RUN}01`,
      messageType: 'MT1101',
      format: 'xml',
      sentAt: now - 3 * 3600_000,
      raw: `<Manifest><Head><MessageID>MFT${RUN}01</MessageID><MessageType>MT1101</MessageType></Head><Declaration><BorderTransportMeans><JourneyID>0412E</JourneyID><Name>EVER GIVEN</Name></BorderTransportMeans></Declaration></Manifest>`,
      summary: { vessel: 'EVER GIVEN', voyage: '0412E', bills: ['MSKU2026120501'], containers: ['MSKU1234565'], port: 'CNSHA', berth: 'YS-4' },
    });
    await storeMessage(pool, c!.id, {
      system: 'gate',
      messageId: `GATE${RUN}01`,
      messageType: '81',
      format: 'xml',
      sentAt: now - 12 * 60_000,
      raw: gateXml(`GATE${RUN}01`, 'E', '沪A99999', '<REMARK><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"></REMARK>'),
      summary: { site: 'YS-TERM', direction: 'out', plate: '沪A99999', decision: 'hold', mismatch: ['plate'] },
    });
    await storeEvent(pool, c!.id, 'trn_released', now - 45 * 60_000, trn);

    await signInPage(page, 'sh-supervisor', `/console?s=c${c!.id}`);
    await expect(page.getByTestId('cp-reference')).toHaveText(c!.reference);
    const docs = page.getByTestId('documents');
    await expect(docs).toContainText('单证');
    await expect.poll(() => groupsOf(page)).toEqual(['transit', 'manifest', 'gate']);
    await expect(docs.getByTestId('document-group').first()).toContainText('转关申报');
    await expect(docs.locator('[data-system="manifest"]').first()).toContainText('新舱单');
    // Known keys in words, unknown ones as they came.
    const manifest = docs.locator('[data-testid="document"][data-system="manifest"]');
    await expect(manifest).toContainText('航次');
    await expect(manifest).toContainText('0412E');
    await expect(manifest).toContainText('berth');
    await expect(docs.locator('[data-testid="document"][data-system="transit"] [data-key="status"] dd')).toHaveText('已放行');

    // The held gate pass: critical, its decision and mismatch in red, and not only by colour.
    const gate = docs.locator('[data-testid="document"][data-system="gate"]');
    await expect(gate).toHaveAttribute('data-critical', 'true');
    await expect(gate).toContainText('需关注');
    const decision = gate.locator('[data-key="decision"] dd');
    await expect(decision).toHaveText('扣留');
    await expect(decision).toHaveCSS('color', 'rgb(239, 68, 68)');
    await expect(gate.locator('[data-key="mismatch"] dd')).toHaveText('车牌不符');
    await expect(gate.locator('[data-key="mismatch"] dd')).toHaveCSS('color', 'rgb(239, 68, 68)');
    await expect(docs.locator('[data-system="transit"][data-testid="document"]')).toHaveAttribute('data-critical', 'false');

    // The timeline says the new kinds in words.
    await expect(page.getByTestId('timeline').locator('li[data-kind="event"]').filter({ hasText: '转关放行' })).toBeVisible();

    // The raw message: the XML as text; the <script> and the onerror inside it never run.
    await gate.getByTestId('document-open').click();
    const drawer = page.getByTestId('raw-drawer');
    await expect(drawer).toBeVisible();
    await expect(drawer).toContainText('智能卡口');
    await expect(drawer.locator('[data-key="decision"] dd')).toHaveCSS('color', 'rgb(239, 68, 68)');
    await expect(drawer.getByTestId('raw-text')).toContainText('<script>window.__pwned = 1</script>');
    await expect(drawer.getByTestId('raw-text')).toContainText('<VE_LICENSE_NO>沪A99999</VE_LICENSE_NO>');
    expect(await drawer.locator('script, img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: `${SCREENS}/console-documents-raw.png` });
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();

    // Flag for inspection: a reason is required; the request carries it as JSON with the CSRF
    // header, and a refusal is shown in the server's words. (The endpoint lives in another
    // branch; here its answer is a refusal so that the dialog's error path is what is checked.)
    let sent: { body: unknown; csrf: string | undefined } | null = null;
    await page.route(`**/api/consignments/${c!.id}/inspection`, async (route) => {
      sent = { body: route.request().postDataJSON(), csrf: route.request().headers()['x-csrf-token'] };
      await route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: '该运输已有未完成的查验任务' }) });
    });
    await docs.getByTestId('flag-inspection').click();
    const dialog = page.getByTestId('flag-dialog');
    await expect(dialog).toContainText(c!.reference);
    await expect(dialog.getByTestId('flag-submit')).toBeDisabled();
    await dialog.getByTestId('flag-reason').fill('卡口车牌比对不符，须开箱查验');
    await dialog.getByTestId('flag-submit').click();
    await expect(dialog.getByTestId('flag-error')).toContainText('该运输已有未完成的查验任务');
    expect(sent).toEqual({ body: { reason: '卡口车牌比对不符，须开箱查验' }, csrf: expect.stringMatching(/.{16,}/) });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await page.unroute(`**/api/consignments/${c!.id}/inspection`);

    // A viewer reads the same documents but has no flag button (the movement is not flagged yet).
    const viewer = await browser.newPage();
    await signInPage(viewer, 'sh-viewer', `/console?s=c${c!.id}`);
    await expect(viewer.locator('[data-testid="document"][data-system="gate"]')).toHaveAttribute('data-critical', 'true');
    await expect(viewer.getByTestId('inspection-state')).toHaveCount(0);
    await expect(viewer.getByTestId('user-box')).toContainText('查看'); // who they are is known by now
    await expect(viewer.getByTestId('flag-inspection')).toHaveCount(0);
    await viewer.close();

    // Live: the movement is flagged (by message) and passes the next gate; both appear with the
    // journey's next refresh, without a reload.
    await page.evaluate(() => (window.__sameDocument = true));
    await storeMessage(pool, c!.id, {
      system: 'inspection',
      messageId: `INSP${RUN}01`,
      messageType: 'INSP_FLAG',
      format: 'xml',
      sentAt: now - 5 * 60_000,
      raw: `<InspectionTask><TaskNo>INSP${RUN}01</TaskNo><Reason>plate mismatch at gate</Reason></InspectionTask>`,
      summary: { status: 'flagged', site: 'WGQ-BZ' },
    });
    await storeMessage(pool, c!.id, {
      system: 'gate',
      messageId: `GATE${RUN}02`,
      messageType: '81',
      format: 'xml',
      sentAt: now - 60_000,
      raw: gateXml(`GATE${RUN}02`, 'I', c!.asset.plate!, ''),
      summary: { site: 'WGQ-BZ', direction: 'in', plate: c!.asset.plate, decision: 'release' },
    });
    await expect(docs.getByTestId('inspection-state')).toHaveAttribute('data-state', 'flagged', { timeout: 45_000 });
    await expect(docs.getByTestId('inspection-state')).toContainText('已布控查验');
    await expect(docs.locator('[data-testid="document"][data-system="gate"]')).toHaveCount(2);
    await expect.poll(() => groupsOf(page)).toEqual(['transit', 'manifest', 'inspection', 'gate']);
    await expect(docs.getByTestId('flag-inspection')).toHaveCount(0); // flagged already
    expect(await page.evaluate(() => window.__sameDocument)).toBe(true);

    // The picture: the documents in the side panel.
    await docs.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${SCREENS}/console-documents.png` });

    // English beside: the same names in English.
    await page.getByRole('button', { name: 'EN' }).click();
    await expect(docs).toContainText('Documents');
    await expect(docs).toContainText('Smart gate');
    await expect(gate.first().locator('[data-key="decision"] dd')).toHaveText('Hold');
    await page.getByRole('button', { name: '中文' }).click();
    expect(errors).toEqual([]);
  });
});
