// The receiver and the inbox folders, with a probe link (a one-field document that declares
// nothing) registered under a real system's name: idempotency by MessageID, refusals that keep
// nothing, XML safety, receipts in OutBox, FailBox with the reason, the ledger entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { invalid } from '../errors';
import { describeIssues, readMessage } from './xml';
import { text } from './fields';
import type { LinkSystem } from './types';
import { startLinkTestServer, type LinkTestServer } from './testing';
import { INBOX, FAILBOX, OUTBOX } from './inbox';

let s: LinkTestServer;
const Probe = z.object({ Head: z.object({ MessageID: text(64) }), Body: z.object({ Value: text(20) }) });
const probe: LinkSystem<{ value: string }> = {
  name: 'inspection',
  parse(raw, format) {
    const r = Probe.safeParse(readMessage(raw, format, 'Probe', []));
    if (!r.success) throw invalid(describeIssues(r.error.issues));
    return { messageId: r.data.Head.MessageID, messageType: 'PROBE', doc: { value: r.data.Body.Value } };
  },
  async apply(ctx, msg) {
    if (msg.doc.value === 'boom') throw invalid('Body.Value: boom is refused');
    await ctx.client.query(`INSERT INTO events (time, kind, source, detail, link_message) VALUES (now(), 'probe', $1, '{}', $2)`, [ctx.caller.source, ctx.messageRowId]);
    return { summary: { value: msg.doc.value } };
  },
};
const xml = (id: string, value: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Probe xmlns="urn:probe"><Head><MessageID>${id}</MessageID></Head><Body><Value>${value}</Value></Body></Probe>`;

before(async () => {
  s = await startLinkTestServer();
  s.app.links.receiver.register(probe as LinkSystem);
  await s.app.links.inbox!.prepare();
});
after(() => s.close());

test('a message is applied once; the same message again gets the first answer; another under its id is a conflict', async () => {
  const r = s.app.links.receiver;
  const first = await r.receive('inspection', xml('M-1', 'a &amp; b'), s.caller('2200'));
  assert.equal(first.status, 'applied');
  assert.deepEqual(first.summary, { value: 'a & b' });
  const again = await r.receive('inspection', xml('M-1', 'a &amp; b'), s.caller('2200'));
  assert.equal(again.status, 'duplicate');
  assert.equal(again.id, first.id);
  await assert.rejects(r.receive('inspection', xml('M-1', 'other'), s.caller('2200')), /already used/);
  // Another sender's MessageID space is its own: it cannot pre-empt this one's.
  const other = await r.receive('inspection', xml('M-1', 'other'), s.caller('5100'));
  assert.equal(other.status, 'applied');
  const { rows } = await s.db.pool.query(`SELECT count(*)::int AS n FROM link_messages WHERE message_id = 'M-1'`);
  assert.equal(rows[0].n, 2);
  const ledger = await s.db.pool.query(`SELECT count(*)::int AS n FROM ledger WHERE kind = 'link_message'`);
  assert.equal(ledger.rows[0].n, 2, 'each applied message is chained once');
});

test('JSON carries the same document; a bad message is refused with the reason and keeps nothing', async () => {
  const r = s.app.links.receiver;
  const j = await r.receive('inspection', JSON.stringify({ Probe: { Head: { MessageID: 'J-1' }, Body: { Value: 7 } } }), s.caller('2200'));
  assert.deepEqual(j.summary, { value: '7' });
  await assert.rejects(r.receive('inspection', '<Probe><Head>', s.caller('2200')), /not well-formed XML/);
  await assert.rejects(r.receive('inspection', 'hello', s.caller('2200')), /neither XML/);
  await assert.rejects(r.receive('inspection', xml('B-1', ''), s.caller('2200')), /Body\.Value/);
  await assert.rejects(r.receive('inspection', xml('B-2', 'boom'), s.caller('2200')), /boom is refused/);
  const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><Probe><Head><MessageID>X</MessageID></Head><Body><Value>&lol2;</Value></Body></Probe>`;
  await assert.rejects(r.receive('inspection', lol, s.caller('2200')), /DOCTYPE or ENTITY/);
  const kept = await s.db.pool.query(`SELECT count(*)::int AS n FROM link_messages WHERE message_id IN ('B-1', 'B-2', 'X')`);
  assert.equal(kept.rows[0].n, 0);
  const ev = await s.db.pool.query(`SELECT count(*)::int AS n FROM events e JOIN link_messages m ON m.id = e.link_message WHERE m.message_id = 'B-2'`);
  assert.equal(ev.rows[0].n, 0, 'the refused message rolled back what it had written');
  await assert.rejects(r.receive('nosuch', xml('N', 'n'), s.caller('2200')), /no link system/);
});

test('inbox: applied files leave a receipt in OutBox; a refused file goes to FailBox with its reason; unsettled files wait', async () => {
  const base = join(s.linksDir, 'inspection');
  const past = new Date(Date.now() - 5000);
  const put = (name: string, body: string, settled = true) => {
    writeFileSync(join(base, INBOX, name), body);
    if (settled) utimesSync(join(base, INBOX, name), past, past);
  };
  put('001.xml', xml('F-1', 'ok'));
  put('002.xml', '<Probe><oops');
  put('003.json', JSON.stringify({ Probe: { Head: { MessageID: 'F-3' }, Body: { Value: 'fine' } } }));
  put('004.xml.part', xml('F-4', 'later'));
  put('005.xml', xml('F-5', 'fresh'), false);
  const pass = await s.app.links.inbox!.pass();
  assert.deepEqual(pass, { applied: 2, duplicates: 0, failed: 1, retry: 0 });
  assert.ok(existsSync(join(base, OUTBOX, '001.xml.receipt.json')));
  assert.equal(JSON.parse(readFileSync(join(base, OUTBOX, '003.json.receipt.json'), 'utf8')).summary.value, 'fine');
  assert.ok(existsSync(join(base, FAILBOX, '002.xml')));
  assert.match(readFileSync(join(base, FAILBOX, '002.xml.reason.txt'), 'utf8'), /^invalid: message: not well-formed XML/);
  assert.deepEqual(readdirSync(join(base, INBOX)).sort(), ['004.xml.part', '005.xml']);
  const source = await s.db.pool.query(`SELECT source, via, district FROM link_messages WHERE message_id = 'F-1'`);
  assert.deepEqual(source.rows[0], { source: 'inbox:inspection', via: 'inbox', district: '0000' });
});
