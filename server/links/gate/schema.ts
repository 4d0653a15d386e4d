// The smart gate's (智能卡口) collection message, as the China e-port gate platforms send it. Layout
// from public gate-platform code (the channel controller's GATHER_INFO test message and its reader,
// the R_GTW_GATHER_INFO table, and the platform's JSON "Cmd 33 / 0x21 GATHER_INFO" publication):
//
//   <GATHER_INFO AREA_ID="…" CHNL_NO="…" I_E_TYPE="I|E" SEQ_NO="…">
//     <IC><DR_IC_NO/>…<IC_BILL_NO/>…</IC>                        driver's IC card
//     <WEIGHT><GROSS_WT/></WEIGHT>                                 weighbridge, kg
//     <CAR><VE_NAME/><CAR_EC_NO/><CAR_EC_NO2/><VE_CUSTOMS_NO/><VE_WT/></CAR>   electronic vehicle tag
//     <CONTA><CONTA_NUM/><CONTA_RECO/><CONTA_ID_F/><CONTA_ID_B/></CONTA>       container OCR, front/back
//     <SEAL><ESEAL_ID/><SEAL_KEY/></SEAL>                          e-seal reader
//     <OPTCAR><PCAR_NO/><PCAR_PICNAME/></OPTCAR>                   plate camera (OCR)
//     <GATHER_TIME/>                                               when the truck stood in the lane
//   </GATHER_INFO>
//
// The OCR plate is OPTCAR/PCAR_NO; "VE_LICENSE_NO" is what gate databases call the column they
// store it in, not an element of the message. CAR/VE_NAME is the plate the vehicle's electronic tag
// is registered to. SEQ_NO is the gate's unique pass number: the message's id. I_E_TYPE is I (in)
// or E (out); some gates send O for out. The pass time: GATHER_TIME (or the JSON form's FILE_TIME),
// `yyyy-MM-dd HH:mm:ss` or yyyyMMddHHmmss Beijing time; without one, the time the message came.
// The JSON form may be the same object, or the platform's own shape ({AREA_ID, …, Data: {CAR, …}}).
// This platform names the collection message 81 and the decision 82 (the issue's codes); the gate
// platform's own command codes are 0x21 and 0x22.
import { z } from 'zod';
import { decimal, optText, parseCustomsTime, text } from '../fields';

export const GATE_ROOT = 'GATHER_INFO';
export const GATE_MESSAGE_TYPE = '81';
export const GATE_REPLY_TYPE = '82';

/** An element that may come empty (`<CAR/>` reads as ''): its children, or none. */
const section = <T extends z.ZodRawShape>(shape: T) => z.preprocess((v) => (v === '' || v === undefined || v === null ? {} : v), z.object(shape).passthrough());

/** A weight in kg: absent or empty is undefined; a truck and its load weigh less than 200 t. */
const kg = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v) => (v === undefined || String(v).trim() === '' ? undefined : v))
  .pipe(decimal.pipe(z.number().min(0).max(200_000, { message: 'at most 200000 kg' })).optional());

/** A plate as the camera or tag gives it: trimmed, upper case, no spaces or dots (沪A·12345 → 沪A12345). */
const plate = optText(24).transform((v) => (v === undefined ? undefined : v.replace(/[\s·.-]/g, '').toUpperCase() || undefined));

/** A container number (ISO 6346, as OCR reads it): letters and digits, upper case. */
const container = optText(20)
  .transform((v) => (v === undefined ? undefined : v.replace(/[\s-]/g, '').toUpperCase() || undefined))
  .refine((v) => v === undefined || /^[A-Z0-9]{4,15}$/.test(v), { message: 'a container number: 4 to 15 letters and digits' });

/** `yyyy-MM-dd HH:mm:ss` (what gate platforms write) read as yyyyMMddHHmmss; other forms as they are. */
const gateTime = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const s = String(v).trim();
  const t = parseCustomsTime(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s) ? s.replace(/\D/g, '') : s);
  if (t === null) {
    ctx.addIssue({ code: 'custom', message: 'a time as yyyy-MM-dd HH:mm:ss or yyyyMMddHHmmss (Beijing), or ISO 8601 with an offset' });
    return z.NEVER;
  }
  return t;
});

const optGateTime = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v) => (v === undefined || String(v).trim() === '' ? undefined : v))
  .pipe(gateTime.optional());

export const GatherInfoSchema = z.object({
  '@AREA_ID': text(32),
  '@CHNL_NO': text(32),
  '@I_E_TYPE': text(1)
    .transform((v) => v.toUpperCase())
    .pipe(z.enum(['I', 'E', 'O'], { message: 'I (in) or E (out)' })),
  '@SEQ_NO': text(64),
  IC: section({ DR_IC_NO: optText(32), IC_BILL_NO: optText(64) }).optional(),
  WEIGHT: section({ GROSS_WT: kg }).optional(),
  CAR: section({ VE_NAME: plate, CAR_EC_NO: optText(64), VE_CUSTOMS_NO: optText(32), VE_WT: kg }).optional(),
  CONTA: section({ CONTA_ID_F: container, CONTA_ID_B: container }).optional(),
  SEAL: section({ ESEAL_ID: optText(64) }).optional(),
  OPTCAR: section({ PCAR_NO: plate }).optional(),
  GATHER_TIME: optGateTime,
  FILE_TIME: optGateTime,
});

/** One pass through a gate lane, as the link uses it. */
export interface GatePass {
  /** AREA_ID: the site (sites.code). */
  site: string;
  channel: string;
  direction: 'in' | 'out';
  seqNo: string;
  /** Pass time (ms); undefined: the message's arrival. */
  time?: number;
  /** The plate the camera read (OPTCAR/PCAR_NO). */
  plate?: string;
  /** The plate of the electronic vehicle tag (CAR/VE_NAME). */
  tagPlate?: string;
  tagNo?: string;
  veCustomsNo?: string;
  /** Containers read, front then back, without repeats. */
  containers: string[];
  eseal?: string;
  grossKg?: number;
  vehicleKg?: number;
  icNo?: string;
}

/** Accepts the platform's JSON shape too: attributes without '@', the children under Data. */
export function normaliseGatherInfo(o: Record<string, unknown>): Record<string, unknown> {
  const data = o.Data;
  const out: Record<string, unknown> = { ...o, ...(typeof data === 'object' && data !== null && !Array.isArray(data) ? data : {}) };
  delete out.Data;
  // The platform's JSON names the plate camera VENOIDENTIFY/VIVE_NAME.
  const vi = out.VENOIDENTIFY as Record<string, unknown> | undefined;
  if (out.OPTCAR === undefined && typeof vi === 'object' && vi !== null) out.OPTCAR = { PCAR_NO: vi.VIVE_NAME };
  for (const k of ['AREA_ID', 'CHNL_NO', 'I_E_TYPE', 'SEQ_NO']) {
    if (out[`@${k}`] === undefined && out[k] !== undefined) out[`@${k}`] = out[k];
  }
  return out;
}

export function toGatePass(g: z.output<typeof GatherInfoSchema>): GatePass {
  const containers = [...new Set([g.CONTA?.CONTA_ID_F, g.CONTA?.CONTA_ID_B].filter((c): c is string => c !== undefined))];
  const pass: GatePass = {
    site: g['@AREA_ID'],
    channel: g['@CHNL_NO'],
    direction: g['@I_E_TYPE'] === 'I' ? 'in' : 'out',
    seqNo: g['@SEQ_NO'],
    time: g.GATHER_TIME ?? g.FILE_TIME,
    plate: g.OPTCAR?.PCAR_NO,
    tagPlate: g.CAR?.VE_NAME,
    tagNo: g.CAR?.CAR_EC_NO,
    veCustomsNo: g.CAR?.VE_CUSTOMS_NO,
    containers,
    eseal: g.SEAL?.ESEAL_ID,
    grossKg: g.WEIGHT?.GROSS_WT,
    vehicleKg: g.CAR?.VE_WT,
    icNo: g.IC?.DR_IC_NO,
  };
  // Absent stays absent (not a key holding undefined): the summary and the stored row read the same.
  return Object.fromEntries(Object.entries(pass).filter(([, v]) => v !== undefined)) as unknown as GatePass;
}
