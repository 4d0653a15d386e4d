// The Golden Customs II (金关二期) bonded-zone messages this link takes, as zod schemas over the
// object shape of server/links/xml.ts. Field names are the real messages' (lower camel case, as the
// SAS interface writes them), checked against public code of the SAS interface:
//   SAS121 核放单 (passport): Signature/Object/Package/{EnvelopInfo, DataInfo/BussinessData/
//     {DelcareFlag, PassPortMessage/{OperCusRegCode, PassportHead, PassportList*, PassportAcmp*}}}
//     (ronannnn/gx-customs-bridge pkg/customs/sasmodels: Sas121Head, Sas121Xml; the misspelt
//     `DelcareFlag` and `BussinessData` are the customs' own).
//   SAS223 过卡回执 (pass receipt): Package/{EnvelopInfo{message_type SAS223}, DataInfo/BussinessData/
//     SAS223/{HdeApprResult, SasPassportBsc{passportNo, ..., passCollectWt, passTime, secdPassTime, stucd}}}
//     (a public e-port mock of the 核放单过卡回执, and the SasPassportBsc columns of the same code).
// Codes: passportTypecd 1 先入区后报关, 2 一线一体化进出区, 3 二线进出区, 4 非报关进出区, 5 卡口登记货物,
// 6 空车进出区; bindTypecd 1 一车多票, 2 一票一车, 3 一票多车; rltTbTypecd 1 核注清单, 2 出入库单, 3 提运单;
// ioTypecd I (into the zone) / E (out of it); dclTypecd 1 备案, 3 作废; stucd 0 已申请, 1 已审批, 2 已过卡,
// 3 已过一卡, 4 已过二卡, 5 已删除, 6 已作废.
// One extension: PassportHead/areaCode, the zone's area code (区域代码), when the passport's customs
// (masterCuscd) supervises more than one zone; without it the zone is the one whose area code is masterCuscd.
import { z } from 'zod';
import { optText, parseCustomsTime, text } from '../fields';

/** A code out of a list; an empty element is absent. */
const optCode = <T extends string>(codes: readonly [T, ...T[]]) =>
  optText(2).refine((v) => v === undefined || (codes as readonly string[]).includes(v), { message: `one of ${codes.join(', ')}` }) as z.ZodType<T | undefined>;
const code = <T extends string>(codes: readonly [T, ...T[]]) =>
  text(2).refine((v) => (codes as readonly string[]).includes(v), { message: `one of ${codes.join(', ')}` }) as unknown as z.ZodType<T>;

/** kg, 0 … 1,000 t (a weight beyond it is a typo or an attack); an empty element is absent. */
const optWeight = optText(32).transform((v, ctx) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1_000_000) {
    ctx.addIssue({ code: 'custom', message: 'a weight in kg, 0 to 1000000' });
    return z.NEVER;
  }
  return n;
});

/** SAS times: yyyyMMddHHmmss[SSS] or yyyy-MM-dd HH:mm:ss (Beijing), or ISO 8601 with an offset → ms. */
export function parseSasTime(v: string): number | null {
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(v);
  return parseCustomsTime(local ? local.slice(1).join('') : v);
}
const optTime = optText(32).transform((v, ctx) => {
  if (v === undefined) return undefined;
  const t = parseSasTime(v);
  if (t === null) {
    ctx.addIssue({ code: 'custom', message: 'a time as yyyyMMddHHmmss, yyyy-MM-dd HH:mm:ss (Beijing) or ISO 8601 with an offset' });
    return z.NEVER;
  }
  return t;
});

/** A plate as the gate's OCR and our assets write it: no spaces, upper case. */
export const normalPlate = (p: string): string => p.replace(/[\s·•.-]/g, '').toUpperCase();

/** containerNo: one, or several separated by commas, semicolons, slashes or spaces (ISO 6346, 4 letters + 7 digits). */
const containers = optText(200).transform((v, ctx) => {
  if (v === undefined) return [];
  const list = v
    .split(/[,;/\s]+/)
    .filter(Boolean)
    .map((c) => c.toUpperCase());
  const bad = list.find((c) => !/^[A-Z]{4}\d{7}$/.test(c));
  if (bad) {
    ctx.addIssue({ code: 'custom', message: `${bad.slice(0, 20)}: not a container number (4 letters, 7 digits)` });
    return z.NEVER;
  }
  return [...new Set(list)];
});

export const EnvelopInfo = z.object({
  version: optText(10),
  message_id: optText(64),
  file_name: optText(128),
  message_type: optText(16),
  sender_id: optText(32),
  receiver_id: optText(32),
  send_time: optTime,
});
export type EnvelopInfo = z.output<typeof EnvelopInfo>;

export const PassportHead = z.object({
  passportNo: text(64),
  seqNo: optText(32),
  etpsPreentNo: optText(64),
  rltTbTypecd: optCode(['1', '2', '3']),
  rltNo: optText(64),
  dclTypecd: optCode(['1', '3']),
  ioTypecd: code(['I', 'E']),
  passportTypecd: code(['1', '2', '3', '4', '5', '6']),
  bindTypecd: optCode(['1', '2', '3']),
  masterCuscd: text(4).refine((v) => /^\d{4}$/.test(v), { message: '4 digits (主管关区代码)' }),
  areaCode: optText(20).refine((v) => v === undefined || /^[A-Za-z0-9]+$/.test(v), { message: 'letters and digits' }),
  areainOriactNo: optText(64),
  areainEtpsno: optText(32),
  areainEtpsNm: optText(200),
  vehicleNo: text(16).transform(normalPlate),
  vehicleIcNo: optText(64),
  vehicleWt: optWeight,
  vehicleFrameWt: optWeight,
  containerNo: containers,
  containerWt: optWeight,
  containerType: optText(16),
  totalGrossWt: optWeight,
  totalNetWt: optWeight,
  totalWt: optWeight,
  stucd: optCode(['0', '1', '2', '3', '4', '5', '6']),
  dclTime: optTime,
  rmk: optText(512),
});
export type PassportHead = z.output<typeof PassportHead>;

/** A goods line (kept in the raw message; counted and checked, not stored apart). */
const PassportList = z.object({ passportSeqNo: optText(10), gdsNm: optText(512), grossWt: optWeight }).passthrough();

export const Sas121Business = z.object({
  DelcareFlag: optText(2),
  PassPortMessage: z.object({
    OperCusRegCode: optText(32),
    PassportHead,
    PassportList: z.array(PassportList).max(1000).optional(),
    PassportAcmp: z.array(z.object({}).passthrough()).max(1000).optional(),
  }),
});

export const SasPassportBsc = z.object({
  passportNo: text(64),
  ioTypecd: optCode(['I', 'E']),
  vehicleNo: optText(16).transform((v) => (v === undefined ? undefined : normalPlate(v))),
  passCollectWt: optWeight,
  wtError: optText(32),
  passID: optText(32),
  secdPassId: optText(32),
  passTime: optTime,
  secdPassTime: optTime,
  stucd: code(['0', '1', '2', '3', '4', '5', '6']),
});

export const Sas223Business = z.object({
  SAS223: z.object({
    HdeApprResult: z.object({ etpsPreentNo: optText(64), businessId: optText(64), manageResult: optText(2), manageDate: optTime, rmk: optText(512) }).optional(),
    SasPassportBsc,
  }),
});

/** The elements that may repeat (always arrays in the object shape). */
export const REPEATING = ['PassportList', 'PassportAcmp'] as const;

/** A 核放单 as this link keeps it. */
export interface Passport {
  passportNo: string;
  type: number;
  bindType: number | null;
  relatedType: number | null;
  relatedNo: string | null;
  io: 'in' | 'out';
  plate: string;
  containers: string[];
  vehicleWt: number | null;
  grossWt: number | null;
  totalWt: number | null;
  masterCustoms: string;
  /** The zone's area code the passport names (areaCode, else masterCuscd). */
  areaCode: string;
  cancelled: boolean;
  declaredAt: number | null;
  goodsLines: number;
}

/** A 过卡回执 as this link keeps it. */
export interface PassReceipt {
  passportNo: string;
  plate: string | null;
  /** 2/3/4 passed (one gate or both), 5/6 deleted or cancelled, 0/1 not yet through. */
  status: 'passed' | 'cancelled' | 'valid';
  passedAt: number | null;
  gateWeight: number | null;
  stucd: string;
}

export type ZoneDocument = { kind: 'passport'; passport: Passport } | { kind: 'pass'; pass: PassReceipt };
