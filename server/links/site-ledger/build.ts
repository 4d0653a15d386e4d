// Builds site ledger messages (SiteLedger, GOODS_IO) from plain objects, in the layout schema.ts
// reads: what the demo world sends and what the tests post.
import { customsTimeString } from '../fields';
import { SITE_LEDGER_MESSAGE_TYPE, SITE_LEDGER_ROOT } from './schema';

export interface GoodsRecordInput {
  direction: 'in' | 'out';
  container?: string;
  bill?: string;
  /** TrnPreId: the transit declaration (or the movement's reference). */
  reference?: string;
  packages?: number;
  weightKg?: number;
  /** ms */
  time: number;
}

export interface SiteLedgerInput {
  messageId: string;
  /** SiteCode: the site's code. */
  site: string;
  records: GoodsRecordInput[];
  senderId?: string;
  /** ms; default: the first record's time. */
  sentAt?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const el = (name: string, v: string | number | undefined) => (v === undefined ? '' : `<${name}>${esc(String(v))}</${name}>`);

export function buildSiteLedgerXml(m: SiteLedgerInput): string {
  const records = m.records.map(
    (r) =>
      `    <GoodsRecord>${el('IEFlag', r.direction === 'in' ? 'I' : 'E')}${el('ContaNo', r.container)}${el('BillNo', r.bill)}${el('TrnPreId', r.reference)}` +
      `${el('PackNo', r.packages)}${el('GrossWt', r.weightKg)}${el('IOTime', customsTimeString(r.time).slice(0, 14))}</GoodsRecord>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<${SITE_LEDGER_ROOT}>`,
    `  <Head>${el('MessageID', m.messageId)}${el('MessageType', SITE_LEDGER_MESSAGE_TYPE)}${el('SenderID', m.senderId ?? `${m.site}-WMS`)}${el('ReceiverID', 'EPORT')}` +
      `${el('SendTime', customsTimeString(m.sentAt ?? m.records[0]?.time ?? 0))}</Head>`,
    '  <Declaration>',
    `    ${el('SiteCode', m.site)}`,
    ...records,
    '  </Declaration>',
    `</${SITE_LEDGER_ROOT}>`,
    '',
  ].join('\n');
}
