// A movement's documents: its own messages, the manifest its bills came on, that vessel's port call;
// and who may read a message whole.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildMT1101 } from '../links/manifest/build';
import { startLinkTestServer, WORLD, type LinkTestServer } from '../links/testing';
import { buildTransitDeclaration } from '../links/transit/build';
import { linkMessage, movementDocuments } from './linkMessages';

let s: LinkTestServer;
let movement = 0;
let declarationMessage = 0;

before(async () => {
  s = await startLinkTestServer();
  const r = s.app.links.receiver;
  const now = Date.now();
  await r.receive(
    'manifest',
    buildMT1101({
      messageId: 'MFT-DOCS-1',
      sendTime: now - 3_600_000,
      vessel: { imo: WORLD.vessel.imo, name: WORLD.vessel.name, journeyId: '042E' },
      unloadingPort: 'CNSHA/2248',
      bills: [{ billNo: 'COSU6300001', grossMassKg: 18000, items: [{ goods: '电子元器件', hs: '85423900' }], containers: [{ containerNo: 'CSQU3054383', sizeType: '45G1' }] }],
    }),
    s.caller('2248'),
  );
  const d = await r.receive(
    'transit',
    buildTransitDeclaration({
      messageId: 'TRN-DOCS-1',
      sentAt: now - 60_000,
      preId: '224820261000055555',
      plate: WORLD.trucks.sh.plate,
      originCustoms: '2248',
      destCustoms: '2200',
      originSite: WORLD.sites.terminal,
      destSite: WORLD.sites.bonded,
      validTime: now + 8 * 3_600_000,
      bills: [{ billNo: 'COSU6300001', voyageNo: '042E' }],
      containers: [{ containerNo: 'CSQU3054383', sealNo: 'ES0001' }],
    }),
    s.caller('2200'),
  );
  declarationMessage = d.id;
  movement = Number(d.summary.movement);
  await s.db.pool.query(
    `INSERT INTO port_calls (asset_id, place, kind, site_id, arrived_at, manifest_id)
     SELECT a.id, 'YS-TERM', 'port', st.id, now() - interval '50 minutes', m.id FROM assets a, sites st, manifests m
     WHERE a.key = $1 AND st.code = 'YS-TERM' AND m.journey_id = '042E'`,
    [WORLD.vessel.key],
  );
});
after(() => s.close());

test("a movement's documents: its declaration, the manifest of its bills, the vessel's port call, oldest first", async () => {
  assert.ok(movement > 0);
  const docs = (await movementDocuments(s.db.pool, '2200', movement))!;
  assert.deepEqual(
    docs.map((d) => `${d.system}:${d.messageType}`),
    ['manifest:MT1101', 'port-call:PORT_CALL', 'transit:TrnDeclaration'],
  );
  const call = docs[1]!;
  assert.ok(call.id < 0, 'a port call has no raw message');
  assert.equal(call.summary.voyage, '042E');
  assert.equal(call.summary.vessel, WORLD.vessel.name);
});

test('attack: another district sees neither the documents nor a message whole', async () => {
  assert.equal(await movementDocuments(s.db.pool, '5100', movement), null);
  assert.equal(await linkMessage(s.db.pool, '5100', declarationMessage), null);
  const seen = await linkMessage(s.db.pool, '2200', declarationMessage);
  assert.match(seen!.raw, /224820261000055555/);
  assert.deepEqual(seen!.movements, [movement]);
});
