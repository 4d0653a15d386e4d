// SAS121 (核放单) and SAS223 (过卡回执) XML from plain objects, as the Golden Customs II interface
// writes them (element names: schema.ts): for the demo generator and the tests. SAS121 comes in the
// enterprise's Signature/Object/Package wrapper (unsigned here), SAS223 as the customs' Package.
import { customsTimeString } from '../fields';

export interface SasEnvelope {
  /** EnvelopInfo/message_id (the receiver's idempotency key). */
  messageId: string;
  sendTime: number;
  senderId?: string;
  receiverId?: string;
}

export interface Sas121Input {
  passportNo: string;
  /** passportTypecd 1–6 (schema.ts). */
  type: 1 | 2 | 3 | 4 | 5 | 6;
  /** bindTypecd 1 一车多票, 2 一票一车, 3 一票多车 (empty for an empty vehicle, type 6). */
  bindType?: 1 | 2 | 3;
  /** rltTbTypecd 1 核注清单, 2 出入库单, 3 提运单, and rltNo. */
  relatedType?: 1 | 2 | 3;
  relatedNo?: string;
  io: 'in' | 'out';
  /** masterCuscd: the customs supervising the zone (4 digits). */
  masterCustoms: string;
  /** The zone's area code, when it is not masterCuscd (schema.ts: our one extension). */
  areaCode?: string;
  plate: string;
  vehicleWt?: number;
  vehicleFrameWt?: number;
  containers?: string[];
  containerType?: string;
  grossWt?: number;
  netWt?: number;
  totalWt?: number;
  declaredAt?: number;
  /** dclTypecd 3 (作废) instead of 1 (备案). */
  cancel?: boolean;
  enterprise?: { no: string; name: string; sccd: string };
  goods?: { name: string; hsCode: string; qty: number; unit: string; grossWt: number; netWt: number }[];
}

export interface Sas223Input {
  passportNo: string;
  plate?: string;
  io?: 'in' | 'out';
  /** passTime (the first gate); secdPassTime in two-gate zones. */
  passedAt: number;
  secondPassAt?: number;
  /** passCollectWt: what the gate's weighbridge read, kg. */
  gateWeight?: number;
  totalWt?: number;
  /** stucd: 2 已过卡 (default), 3 已过一卡, 4 已过二卡, 5 已删除, 6 已作废. */
  stucd?: '2' | '3' | '4' | '5' | '6';
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const el = (name: string, value: string | number | undefined | null) =>
  value === undefined || value === null || value === '' ? `<${name}/>` : `<${name}>${esc(String(value))}</${name}>`;
/** yyyyMMddHHmmss, Beijing time (what SAS messages carry). */
export const sasTime = (ms: number): string => customsTimeString(ms).slice(0, 14);

function envelope(env: SasEnvelope, type: 'SAS121' | 'SAS223'): string {
  return (
    `<EnvelopInfo>${el('version', '1.0')}${el('message_id', env.messageId)}${el('file_name', `${env.messageId}.SAS`)}${el('message_type', type)}` +
    `${el('sender_id', env.senderId ?? (type === 'SAS121' ? 'DXPENT0000000001' : 'CUS0000'))}${el('receiver_id', env.receiverId ?? (type === 'SAS121' ? 'DXPEDCSAS0000001' : 'E010000'))}` +
    `${el('send_time', sasTime(env.sendTime))}</EnvelopInfo>`
  );
}

export function buildSas121(p: Sas121Input, env: SasEnvelope): string {
  const e = p.enterprise ?? { no: '3122440001', name: '上海外高桥保税物流有限公司', sccd: '91310115000000001X' };
  const head =
    `<PassportHead>${el('seqNo', '')}${el('passportNo', p.passportNo)}${el('etpsPreentNo', `E${p.passportNo.slice(-12)}`)}` +
    `${el('rltTbTypecd', p.relatedType)}${el('rltNo', p.relatedNo)}${el('dclTypecd', p.cancel ? 3 : 1)}${el('ioTypecd', p.io === 'in' ? 'I' : 'E')}` +
    `${el('passportTypecd', p.type)}${el('bindTypecd', p.bindType)}${el('masterCuscd', p.masterCustoms)}${p.areaCode ? el('areaCode', p.areaCode) : ''}` +
    `${el('areainEtpsSccd', e.sccd)}${el('areainEtpsno', e.no)}${el('areainEtpsNm', e.name)}` +
    `${el('vehicleNo', p.plate)}${el('vehicleIcNo', '')}${el('vehicleWt', p.vehicleWt)}${el('vehicleFrameWt', p.vehicleFrameWt)}` +
    `${el('containerNo', p.containers?.join(','))}${el('containerType', p.containerType)}` +
    `${el('totalGrossWt', p.grossWt)}${el('totalNetWt', p.netWt)}${el('totalWt', p.totalWt)}` +
    `${el('dclErConc', '')}${el('dclTime', p.declaredAt === undefined ? undefined : sasTime(p.declaredAt))}${el('rmk', '')}</PassportHead>`;
  const list = (p.goods ?? [])
    .map(
      (g, i) =>
        `<PassportList>${el('passportNo', p.passportNo)}${el('passportSeqNo', i + 1)}${el('rltGdsSeqno', i + 1)}${el('gdecd', g.hsCode)}${el('gdsNm', g.name)}` +
        `${el('dclUnitcd', g.unit)}${el('dclQty', g.qty)}${el('grossWt', g.grossWt)}${el('netWt', g.netWt)}</PassportList>`,
    )
    .join('');
  const acmp = p.relatedNo ? `<PassportAcmp>${el('passPortNo', p.passportNo)}${el('rtlBillTypecd', p.relatedType)}${el('rtlBillNo', p.relatedNo)}</PassportAcmp>` : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><Object><Package>${envelope(env, 'SAS121')}` +
    `<DataInfo><BussinessData>${el('DelcareFlag', 0)}<PassPortMessage>${el('OperCusRegCode', e.no)}${head}${list}${acmp}</PassPortMessage></BussinessData></DataInfo>` +
    `</Package></Object></Signature>\n`
  );
}

export function buildSas223(r: Sas223Input, env: SasEnvelope): string {
  const bsc =
    `<SasPassportBsc>${el('passportNo', r.passportNo)}${el('ioTypecd', r.io === undefined ? undefined : r.io === 'in' ? 'I' : 'E')}${el('vehicleNo', r.plate)}` +
    `${el('totalWt', r.totalWt)}${el('passCollectWt', r.gateWeight)}${el('wtError', r.gateWeight !== undefined && r.totalWt !== undefined ? Math.round((r.totalWt - r.gateWeight) * 1000) / 1000 : undefined)}` +
    `${el('passID', '')}${el('secdPassId', '')}${el('passTime', sasTime(r.passedAt))}${el('secdPassTime', r.secondPassAt === undefined ? undefined : sasTime(r.secondPassAt))}` +
    `${el('stucd', r.stucd ?? '2')}</SasPassportBsc>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Package>${envelope(env, 'SAS223')}<DataInfo><BussinessData><SAS223>` +
    `<HdeApprResult>${el('etpsPreentNo', '')}${el('businessId', r.passportNo)}${el('tmsCnt', 0)}${el('typecd', '')}${el('manageResult', 1)}${el('manageDate', sasTime(r.passedAt))}${el('rmk', '')}</HdeApprResult>` +
    `${bsc}</SAS223></BussinessData></DataInfo></Package>\n`
  );
}
