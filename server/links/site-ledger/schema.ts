// The site ledger (监管场所底账) message: a supervised place's goods-in and goods-out records. No
// public schema of the site-ledger interface was found, so the layout follows the customs message
// style the other links use (the manifest's Head envelope, H2018's ContaNo / BillNo / TrnPreId,
// the declaration forms' IEFlag, PackNo and GrossWt names):
//
//   <SiteLedger>
//     <Head><MessageID/><MessageType>GOODS_IO</MessageType><SenderID/><ReceiverID/><SendTime/></Head>
//     <Declaration>
//       <SiteCode>WGQ-BZ</SiteCode>
//       <GoodsRecord>                       one or many
//         <IEFlag>I|E</IEFlag>              I goods in, E goods out
//         <ContaNo/> <BillNo/>              the container, the bill (at least one)
//         <TrnPreId/>                       the transit declaration (or the movement's reference)
//         <PackNo/> <GrossWt/>              packages, kg
//         <IOTime/>                         yyyyMMddHHmmss Beijing time, or ISO 8601
//       </GoodsRecord>
//     </Declaration>
//   </SiteLedger>
import { z } from 'zod';
import { customsTime, decimal, optText, text } from '../fields';

export const SITE_LEDGER_ROOT = 'SiteLedger';
export const SITE_LEDGER_MESSAGE_TYPE = 'GOODS_IO';
export const MAX_RECORDS = 500;

const optNumber = (max: number, integer: boolean) =>
  z
    .union([z.string(), z.number()])
    .optional()
    .transform((v) => (v === undefined || String(v).trim() === '' ? undefined : v))
    .pipe(decimal.pipe(integer ? z.number().int().min(0).max(max) : z.number().min(0).max(max)).optional());

const upperNo = (max: number) => optText(max).transform((v) => (v === undefined ? undefined : v.replace(/[\s-]/g, '').toUpperCase() || undefined));

const GoodsRecord = z
  .object({
    IEFlag: text(1)
      .transform((v) => v.toUpperCase())
      .pipe(z.enum(['I', 'E'], { message: 'I (goods in) or E (goods out)' })),
    ContaNo: upperNo(20).refine((v) => v === undefined || /^[A-Z0-9]{4,15}$/.test(v), { message: 'a container number: 4 to 15 letters and digits' }),
    BillNo: optText(64),
    TrnPreId: optText(40),
    PackNo: optNumber(10_000_000, true),
    GrossWt: optNumber(1_000_000, false),
    IOTime: customsTime,
  })
  .refine((r) => r.ContaNo !== undefined || r.BillNo !== undefined, { message: 'name the container (ContaNo) or the bill (BillNo)' });

export const SiteLedgerSchema = z.object({
  Head: z.object({
    MessageID: text(64),
    MessageType: text(16).pipe(z.literal(SITE_LEDGER_MESSAGE_TYPE, { message: `must be ${SITE_LEDGER_MESSAGE_TYPE}` })),
    SenderID: optText(64),
    ReceiverID: optText(64),
    SendTime: customsTime.optional(),
  }),
  Declaration: z.object({
    SiteCode: text(32),
    // One or many (JSON may give a single record as an object); preprocessed rather than a union so
    // that a bad record's issue names its field (GoodsRecord.3.IEFlag), not just "Invalid input".
    GoodsRecord: z.preprocess(
      (v) => (v === undefined || Array.isArray(v) ? v : [v]),
      z
        .array(GoodsRecord)
        .min(1)
        .max(MAX_RECORDS, { message: `at most ${MAX_RECORDS} records a message` }),
    ),
  }),
});

export interface LedgerRecord {
  direction: 'in' | 'out';
  container?: string;
  bill?: string;
  reference?: string;
  packages?: number;
  weightKg?: number;
  time: number;
  /** What a warehouse system (server/links/wms/) adds: its order, the seal, the net weight. */
  order?: string;
  seal?: string;
  netWeightKg?: number;
}

export interface SiteLedgerDoc {
  site: string;
  records: LedgerRecord[];
}

export function toSiteLedgerDoc(d: z.output<typeof SiteLedgerSchema>): SiteLedgerDoc {
  const records = d.Declaration.GoodsRecord.map((r) => ({
    direction: r.IEFlag === 'I' ? ('in' as const) : ('out' as const),
    container: r.ContaNo,
    bill: r.BillNo,
    reference: r.TrnPreId,
    packages: r.PackNo,
    weightKg: r.GrossWt,
    time: r.IOTime,
  }));
  return { site: d.Declaration.SiteCode, records };
}
