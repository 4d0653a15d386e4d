// The customs systems joined, in a real Chromium against the real server: one movement from its
// transit declaration to its write-off, every message POSTed to /api/links/<system> by a signed-in
// supervisor (session cookie and CSRF header), each step seen in the console (documents, timeline,
// status), its inspection flagged with the documents' button, listed in the console's inspection
// tasks and taken off them by the result message; then a gate pass of another declared movement
// with a wrong OCR plate: the gate is told 'hold' and GATE_MISMATCH appears live in the alert feed.
//
// The movements are this run's own (a truck registered for the run, unique declaration and message
// numbers): the demo's movements come and go through the same links and are not relied on.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { buildTransitDeclaration, buildTransitRelease, buildTransitWriteOff } from '../server/links/transit/build';
import { buildGatherInfoXml } from '../server/links/gate/build';
import { buildSiteLedgerXml } from '../server/links/site-ledger/build';
import { buildInspectionResult } from '../server/links/inspection/build';
import { apiAs, signInPage } from './signIn';

const RUN = String(Date.now()).slice(-7); // unique to this run: the e2e database may be reused
const SHOTS = { console: '/tmp/e2e-links-console.png', alerts: '/tmp/e2e-links-alerts.png', tasks: '/tmp/e2e-links-inspections.png' };

interface SiteFeature {
  properties: { code: string; district: string; nameZh: string };
}
interface RouteFeature {
  properties: { code: string; from: string; to: string };
}
interface Receipt {
  status: string;
  summary: Record<string, unknown>;
  reply?: { messageType: string; body: Record<string, unknown> };
}

/** A supervisor's API session that may change things (the CSRF header with every POST). */
async function supervisor(baseURL: string) {
  const ctx = await apiAs(baseURL, 'sh-supervisor');
  const csrf = (await (await ctx.get('/api/auth/me')).json()).csrf as string;
  return { ctx, csrf };
}

async function post(api: { ctx: APIRequestContext; csrf: string }, system: string, xml: string): Promise<Receipt> {
  const res = await api.ctx.post(`/api/links/${system}`, { data: xml, headers: { 'content-type': 'application/xml', 'x-csrf-token': api.csrf } });
  const body = await res.json();
  expect(res.status(), `${system}: ${JSON.stringify(body)}`).toBe(201);
  return body as Receipt;
}

/** Opens the movement in the console the way an officer does: its reference in the search. */
async function openByReference(page: Page, reference: string): Promise<void> {
  await page.goto('/console');
  await page.getByTestId('search-input').fill(reference);
  const hit = page.getByTestId('search-hit').filter({ hasText: reference });
  await expect(hit).toBeVisible();
  await hit.click();
  await expect(page.getByTestId('cp-reference')).toHaveText(reference);
}

const groupsOf = (page: Page) => page.getByTestId('document-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-system')));
const timelineHas = (page: Page, words: string) => expect(page.getByTestId('timeline').locator('li[data-kind="event"]').filter({ hasText: words }).first()).toBeVisible();

test.describe('customs links end to end', () => {
  test.describe.configure({ timeout: 300_000 });

  test('one movement from declaration to write-off, its inspection task, and a gate mismatch in the alert feed', async ({ page, browser, baseURL }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const api = await supervisor(baseURL!);
    await signInPage(page, 'sh-supervisor', '/console');

    // An approved route whose two sites are both in 上海海关's jurisdiction.
    const sites = ((await (await api.ctx.get('/api/sites')).json()).features as SiteFeature[]).map((f) => f.properties);
    const site = new Map(sites.map((s) => [s.code, s]));
    const routes = ((await (await api.ctx.get('/api/routes')).json()).features as RouteFeature[]).map((f) => f.properties);
    const route = routes.find((r) => r.from !== r.to && site.has(r.from) && site.has(r.to));
    expect(route, 'an approved route between two sites of 上海海关').toBeTruthy();
    const origin = site.get(route!.from)!;
    const dest = site.get(route!.to)!;

    // This run's trucks, registered by the supervisor (the demo's trucks carry the demo's movements).
    const plates = [`沪E${RUN.slice(-5)}`, `沪F${RUN.slice(-5)}`];
    for (const plate of plates) {
      const r = await api.ctx.post('/api/assets', {
        data: { kind: 'vehicle', plate, plateColor: 2, district: '2200' },
        headers: { 'x-csrf-token': api.csrf },
      });
      expect(r.status(), `register ${plate}: ${await r.text()}`).toBe(201);
    }
    const [plate, plate2] = plates as [string, string];

    const preId = `2200${RUN}0001`;
    const turnNo = `@22${RUN}01`;
    const container = `TWEU${RUN}`;
    const eseal = `ES22${RUN}`;
    const declare = (pre: string, truck: string, conta: string, seal: string, id: string) =>
      buildTransitDeclaration({
        messageId: id,
        preId: pre,
        plate: truck,
        originCustoms: origin.district,
        destCustoms: dest.district,
        originSite: origin.code,
        destSite: dest.code,
        validTime: Date.now() + 6 * 3600_000,
        contractorName: '上海申通国际物流有限公司',
        bills: [{ billNo: `MSKU${RUN}B1`, shipId: 'UN9000001', voyageNo: '0412E' }],
        containers: [{ containerNo: conta, model: '22G1', sealNo: seal }],
      });

    // 1. The declaration: the movement is born, planned, with its documents and timeline.
    const declared = await post(api, 'transit', declare(preId, plate, container, eseal, `TRN${RUN}D`));
    expect(declared.summary.status).toBe('declared');
    await openByReference(page, preId);
    await expect(page.getByTestId('cp-status')).toHaveText('待出发');
    await expect.poll(() => groupsOf(page)).toEqual(['transit']);
    await expect(page.locator('[data-testid="document"][data-system="transit"] [data-key="status"] dd')).toHaveText('已申报');
    await timelineHas(page, '转关申报');

    // 2. The officer flags it for inspection with the documents' button (through the inspection link).
    const docs = page.getByTestId('documents');
    await docs.getByTestId('flag-inspection').click();
    const dialog = page.getByTestId('flag-dialog');
    await dialog.getByTestId('flag-reason').fill(`E2E ${RUN}：箱号申报存疑，指运地开箱查验`);
    await dialog.getByTestId('flag-submit').click();
    await expect(dialog).toBeHidden();
    await expect(docs.getByTestId('inspection-state')).toHaveAttribute('data-state', 'flagged');
    await expect.poll(() => groupsOf(page)).toContain('inspection');

    // ...and it is on the destination site's task list, not yet arrived.
    await page.getByTestId('tab-inspections').click();
    const tasks = page.getByTestId('inspection-tasks');
    await tasks.getByTestId('inspection-site').selectOption(dest.code);
    const task = tasks.locator(`[data-testid="inspection-task"][data-reference="${preId}"]`);
    await expect(task).toBeVisible();
    await expect(task).toContainText(plate);
    await expect(task).toContainText('箱号申报存疑');
    await expect(task.getByTestId('task-arrived')).toHaveText('未到达');
    await expect(tasks.locator(`[data-testid="inspection-site-group"][data-site="${dest.code}"]`)).toContainText(dest.nameZh);

    // 3. Released for transit under its transit number.
    const released = await post(api, 'transit', buildTransitRelease({ messageId: `TRN${RUN}R`, preId, turnNo }));
    expect(released.summary.status).toBe('released');
    await openByReference(page, preId);
    await expect(page.locator('[data-testid="document"][data-system="transit"] [data-key="turnNo"] dd').first()).toHaveText(turnNo);
    await timelineHas(page, '转关放行');

    // 4. The origin gate (81), clean: released, the movement departs.
    const gateOut = await post(
      api,
      'gate',
      buildGatherInfoXml({ site: origin.code, channel: 'E01', direction: 'out', seqNo: `G${RUN}O`, time: Date.now(), plate, containers: [container], eseal, grossKg: 28_400 }),
    );
    expect(gateOut.summary.decision).toBe('release');
    expect(gateOut.reply?.body.decision).toBe('release');
    await openByReference(page, preId);
    await expect(page.getByTestId('cp-status')).toHaveText('在途');
    await expect(page.locator('[data-testid="document"][data-system="gate"] [data-key="decision"] dd')).toHaveText('放行');
    await timelineHas(page, '出卡口');
    await timelineHas(page, '启运');

    // 5. The destination gate: arrived.
    const gateIn = await post(
      api,
      'gate',
      buildGatherInfoXml({ site: dest.code, channel: 'I02', direction: 'in', seqNo: `G${RUN}I`, time: Date.now(), plate, containers: [container], eseal, grossKg: 28_380 }),
    );
    expect(gateIn.summary.decision).toBe('release');
    await openByReference(page, preId);
    await expect(page.getByTestId('cp-status')).toHaveText('已到达');
    await expect(page.locator('[data-testid="document"][data-system="gate"]')).toHaveCount(2);
    await timelineHas(page, '进卡口');
    await timelineHas(page, '运抵指运地');

    // The task now shows its arrival; clicking it opens the movement.
    await page.getByTestId('tab-inspections').click();
    await expect(task.getByTestId('task-arrived')).not.toHaveText('未到达');
    await expect(task).toHaveAttribute('data-overdue', 'false');
    await task.click();
    await expect(page.getByTestId('cp-reference')).toHaveText(preId);

    // 6. The inspection result: the task leaves the open list and is among the done ones.
    const inspected = await post(api, 'inspection', buildInspectionResult({ messageId: `INSP${RUN}R`, reference: preId, result: 'passed', note: '开箱查验，货证相符' }));
    expect(inspected.status).toBe('applied');
    await page.getByTestId('tab-inspections').click();
    await expect(task).toHaveCount(0); // refreshed while shown, no reload
    await tasks.getByTestId('inspection-state-done').click();
    await expect(task.getByTestId('task-result')).toHaveText('查验通过');
    await page.getByTestId('tab-movements').click();

    // 7. Goods in at the destination's ledger.
    await post(
      api,
      'site-ledger',
      buildSiteLedgerXml({
        messageId: `SL${RUN}I`,
        site: dest.code,
        records: [{ direction: 'in', container, bill: `MSKU${RUN}B1`, reference: preId, packages: 120, weightKg: 24_600, time: Date.now() }],
      }),
    );
    await openByReference(page, preId);
    await expect.poll(() => groupsOf(page)).toContain('site-ledger');
    await timelineHas(page, '入库');

    // 8. Written off: the movement is closed, the whole story in its documents and timeline.
    const writtenOff = await post(api, 'transit', buildTransitWriteOff({ messageId: `TRN${RUN}W`, preId }));
    expect(writtenOff.summary.status).toBe('written_off');
    await openByReference(page, preId);
    await expect(page.getByTestId('cp-status')).toHaveText('已结关');
    await timelineHas(page, '转关核销');
    await expect.poll(() => groupsOf(page)).toEqual(expect.arrayContaining(['transit', 'inspection', 'gate', 'site-ledger']));
    await expect(page.getByTestId('documents').getByTestId('inspection-state')).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('flag-inspection')).toHaveCount(0); // ended
    // The picture: the movement's head (closed) and its documents; then, for the record, its timeline.
    await expect(page.locator('[data-testid="document"][data-system="transit"] [data-key="from"] dd').first()).toHaveText('已申报'); // codes in words
    await page.screenshot({ path: SHOTS.console });
    await page.getByTestId('timeline').evaluate((e) => e.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: 'test-results/screens/links-console-timeline.png' });

    // An overdue task: a movement of the same truck that arrived 90 minutes ago (the messages tell
    // when things happened) and is flagged with no result: amber in the list, and said in words.
    const preId3 = `2200${RUN}0003`;
    const container3 = `TWEU${String(Number(RUN) + 2).padStart(7, '0')}`;
    const ago = (min: number) => Date.now() - min * 60_000;
    const declared3 = await post(
      api,
      'transit',
      buildTransitDeclaration({
        messageId: `TRN${RUN}D3`,
        sentAt: ago(180),
        preId: preId3,
        plate,
        originCustoms: origin.district,
        destCustoms: dest.district,
        originSite: origin.code,
        destSite: dest.code,
        validTime: Date.now() + 3600_000,
        bills: [{ billNo: `MSKU${RUN}B3` }],
        containers: [{ containerNo: container3, sealNo: `ES24${RUN}` }],
      }),
    );
    await post(api, 'transit', buildTransitRelease({ messageId: `TRN${RUN}R3`, sentAt: ago(170), preId: preId3, turnNo: `@22${RUN}03` }));
    for (const [direction, at, code] of [
      ['out', 160, origin.code],
      ['in', 90, dest.code],
    ] as const) {
      const r = await post(
        api,
        'gate',
        buildGatherInfoXml({ site: code, channel: 'E01', direction, seqNo: `G${RUN}${direction}3`, time: ago(at), plate, containers: [container3], eseal: `ES24${RUN}` }),
      );
      expect(r.summary.decision).toBe('release');
    }
    const flag = await api.ctx.post(`/api/consignments/${declared3.summary.movement}/inspection`, {
      data: { reason: '关锁号与申报不符，待开箱' },
      headers: { 'x-csrf-token': api.csrf },
    });
    expect(flag.status(), await flag.text()).toBeLessThan(300);
    await page.getByTestId('tab-inspections').click();
    await tasks.getByTestId('inspection-state-open').click();
    const late = tasks.locator(`[data-testid="inspection-task"][data-reference="${preId3}"]`);
    await expect(late).toHaveAttribute('data-overdue', 'true');
    await expect(late).toHaveCSS('border-left-color', 'rgb(245, 158, 11)');
    await expect(late).toContainText('到达已超 60 分钟，尚无查验结果');
    await expect(tasks.getByTestId('inspection-count')).toContainText('超时');
    await page.screenshot({ path: SHOTS.tasks });
    await page.getByTestId('tab-movements').click();

    // A gate mismatch: another declared, released movement; the alert feed is open before the truck comes.
    const preId2 = `2200${RUN}0002`;
    const container2 = `TWEU${String(Number(RUN) + 1).padStart(7, '0')}`;
    await post(api, 'transit', declare(preId2, plate2, container2, `ES23${RUN}`, `TRN${RUN}D2`));
    await post(api, 'transit', buildTransitRelease({ messageId: `TRN${RUN}R2`, preId: preId2, turnNo: `@22${RUN}02` }));

    const feed = await browser.newPage();
    feed.on('pageerror', (e) => errors.push(e.message));
    await signInPage(feed, 'sh-officer', '/alerts');
    await expect(feed.getByTestId('connection-badge')).toHaveAttribute('data-state', 'live');
    await feed.evaluate(() => (window.__sameDocument = true));
    const rows = feed.getByTestId('alert-row').filter({ hasText: preId2 });
    await expect(rows).toHaveCount(0);

    // The camera reads a plate that is not the declared truck's: hold.
    const wrongPlate = `沪Z${RUN.slice(-5)}`;
    const held = await post(
      api,
      'gate',
      buildGatherInfoXml({
        site: origin.code,
        channel: 'E02',
        direction: 'out',
        seqNo: `G${RUN}X`,
        time: Date.now(),
        plate: wrongPlate,
        containers: [container2],
        eseal: `ES23${RUN}`,
      }),
    );
    expect(held.summary.decision).toBe('hold');
    expect(held.reply?.body.decision).toBe('hold');
    expect(JSON.stringify(held.summary.mismatch)).toContain(wrongPlate);

    const row = rows.filter({ hasText: '卡口比对不符' });
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-severity', 'critical');
    await expect(row).toHaveAttribute('data-state', 'open');
    await expect(row).toHaveCSS('border-left-color', 'rgb(239, 68, 68)');
    await expect(row.getByTestId('alert-open')).toHaveText('卡口比对不符');
    await expect(row).toContainText('严重'); // the severity in words, not only by colour
    expect(await feed.evaluate(() => window.__sameDocument)).toBe(true); // arrived live, no reload
    await feed.screenshot({ path: SHOTS.alerts });

    // Its movement in the console shows the held gate pass in red.
    await openByReference(page, preId2);
    const heldDoc = page.locator('[data-testid="document"][data-system="gate"]');
    await expect(heldDoc).toHaveAttribute('data-critical', 'true');
    await expect(heldDoc.locator('[data-key="decision"] dd')).toHaveText('扣留');
    await feed.close();
    expect(errors).toEqual([]);
  });
});
