// The audit log view's query: filters (user, action, object, time), newest-first keyset paging,
// CSV, and jurisdiction — HQ all; an office or a direct customs the rows of its districts' users
// and the rows about movements it may see, never another district's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { createTestUser } from '../auth/testing';
import { auditNow } from '../audit';
import { seedWorld } from '../sim/seed';
import { AuditQuery, auditCsv, listAudit } from './audit';

let db: TestDatabase;
const users: Record<string, number> = {};
let shanghaiMovement: number;
let ningboMovement: number;

before(async () => {
  db = await freshDatabase();
  await seedWorld(db.pool);
  for (const [username, district] of [
    ['hq', '0000'],
    ['sh', '2200'],
    ['ys', '2248'],
    ['wgq', '2218'],
    ['nb', '3100'],
  ] as const)
    users[username] = await createTestUser(db.pool, { username, role: 'supervisor', district });
  await db.pool.query(`INSERT INTO assets (key, kind, label, district) VALUES ('tel:013900000501', 'vehicle', '沪T·00501', '2218')`);
  const mk = async (ref: string, route: string) =>
    (
      await db.pool.query(
        `INSERT INTO consignments (reference, asset_id, origin_site, dest_site, route_id, departure, deadline, status, districts)
         SELECT $1, a.id, r.from_site, r.to_site, r.id, now(), now() + interval '3 h', 'in_transit', touched_districts(r.from_site, r.to_site, r.id)
         FROM assets a, routes r WHERE a.key = 'tel:013900000501' AND r.code = $2 RETURNING id`,
        [ref, route],
      )
    ).rows[0].id as number;
  shanghaiMovement = await mk('ZGA2026000000001', 'R01'); // inside Yangshan (2248)
  ningboMovement = await mk('ZGA2026000000002', 'R18'); // Ningbo (3100)
  const row = (username: string, action: string, entity?: string, entityId?: number, after?: unknown) =>
    auditNow(db.pool, { userId: username === 'system' ? null : users[username], username, action, entity, entityId, after, ip: '10.0.0.1' });
  await row('ys', 'sign_in');
  await row('wgq', 'sign_in');
  await row('nb', 'sign_in');
  await row('sh', 'consignment_extend', 'consignment', shanghaiMovement, { reason: '延长' });
  await row('nb', 'consignment_handover', 'consignment', ningboMovement, { reason: '=cmd' });
  await row('system', 'consignment_status', 'consignment', shanghaiMovement, { status: 'overdue' });
  await row('system', 'consignment_status', 'consignment', ningboMovement, { status: 'overdue' });
  await row('hq', 'webhook_create', 'webhook', 7);
  await db.pool.query(`INSERT INTO audit_log (username, action, ip) VALUES ('nobody', 'sign_in_failed', '10.9.9.9')`);
});
after(async () => {
  await db.drop();
});

const list = async (district: string, q: Record<string, string> = {}) => (await listAudit(db.pool, district, AuditQuery.parse(q))).items;
const seen = async (district: string, q: Record<string, string> = {}) => (await list(district, q)).map((r) => `${r.username}:${r.action}${r.entityId ? `#${r.entityId}` : ''}`);

test('HQ sees every row, newest first', async () => {
  const all = await list('0000');
  assert.equal(all.length, 9);
  assert.deepEqual(
    all.map((r) => Number(r.id)),
    all.map((r) => Number(r.id)).sort((a, b) => b - a),
  );
  assert.equal(all[0]!.action, 'sign_in_failed');
});

test('an office supervisor sees its own users’ rows and the rows about its movements, not another district’s', async () => {
  const s = `#${shanghaiMovement}`;
  assert.deepEqual(await seen('2248'), [`system:consignment_status${s}`, `sh:consignment_extend${s}`, 'ys:sign_in']);
  // The sibling office beside it sees its own sign-in and nothing of Yangshan's movement (R01 does not touch it).
  assert.deepEqual(await seen('2218'), ['wgq:sign_in']);
  // Ningbo sees its own, none of Shanghai's.
  const nb = await seen('3100');
  assert.deepEqual(nb, [`system:consignment_status#${ningboMovement}`, `nb:consignment_handover#${ningboMovement}`, 'nb:sign_in']);
  // The direct customs sees its offices' users and its movements; not HQ's webhook, not an unknown name.
  assert.deepEqual(await seen('2200'), [`system:consignment_status${s}`, `sh:consignment_extend${s}`, 'wgq:sign_in', 'ys:sign_in']);
});

test('filters: user, action (exact or prefix*), object, time; an office cannot widen its view by filtering', async () => {
  assert.deepEqual(await seen('0000', { user: 'nb' }), [`nb:consignment_handover#${ningboMovement}`, 'nb:sign_in']);
  assert.deepEqual(await seen('0000', { action: 'sign_in' }), ['nb:sign_in', 'wgq:sign_in', 'ys:sign_in']);
  assert.equal((await list('0000', { action: 'sign_in*' })).length, 4, 'sign_in and sign_in_failed');
  assert.equal((await list('0000', { action: 'sign%' })).length, 0, 'a % is a character, not a wildcard');
  assert.deepEqual(await seen('0000', { entity: 'consignment', entityId: String(ningboMovement) }), [
    `system:consignment_status#${ningboMovement}`,
    `nb:consignment_handover#${ningboMovement}`,
  ]);
  assert.deepEqual(await seen('2248', { entity: 'consignment', entityId: String(ningboMovement) }), [], "Ningbo's movement is not Yangshan's");
  assert.deepEqual(await seen('2248', { user: 'nb' }), []);
  const future = String(Date.now() + 3_600_000);
  assert.equal((await list('0000', { from: future })).length, 0);
  assert.equal((await list('0000', { to: future })).length, 9);
  assert.throws(() => AuditQuery.parse({ from: future, to: String(Date.now()) }), /to must be after from/);
  assert.throws(() => AuditQuery.parse({ before: '1e3' }));
  assert.throws(() => AuditQuery.parse({ user: 'a\u0000b' }));
});

test('keyset paging by id: the pages together are the whole list once, and the last says there is no more', async () => {
  const whole = (await list('0000')).map((r) => r.id);
  const got: string[] = [];
  let before: string | null = null;
  for (let i = 0; i < 10; i++) {
    const page: Awaited<ReturnType<typeof listAudit>> = await listAudit(db.pool, '0000', AuditQuery.parse({ limit: '4', ...(before ? { before } : {}) }));
    got.push(...page.items.map((r) => r.id));
    before = page.next;
    if (!before) break;
  }
  assert.deepEqual(got, whole);
});

test('CSV: a header, one line per row, formula-safe cells, before/after as JSON', async () => {
  const csv = auditCsv(await list('3100'));
  const lines = csv.trimEnd().split('\r\n');
  assert.equal(lines[0], 'id,time,user,user_id,user_district,action,entity,entity_id,before,after,ip');
  assert.equal(lines.length, 4);
  const handover = lines.find((l) => l.includes('consignment_handover'))!;
  assert.ok(handover.includes(`,nb,${users.nb},3100,consignment_handover,consignment,${ningboMovement},,`), handover);
  assert.ok(handover.includes('"{""reason"":""=cmd""}"'), 'JSON text, quoted; it starts with { so it is no formula');
});
