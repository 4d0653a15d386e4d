// Builds gate collection messages (GATHER_INFO, this platform's 81) from plain objects, in the
// layout schema.ts reads: what the demo world sends and what the tests post.
import { customsTimeString } from '../fields';
import { GATE_ROOT } from './schema';

export interface GatherInfoInput {
  /** AREA_ID: the site's code. */
  site: string;
  /** CHNL_NO: the lane. */
  channel: string;
  direction: 'in' | 'out';
  /** SEQ_NO: the gate's unique pass number (the message id). */
  seqNo: string;
  /** Pass time, ms. */
  time: number;
  /** OPTCAR/PCAR_NO: the plate the camera read; undefined = not read. */
  plate?: string;
  /** CAR/VE_NAME: the plate of the vehicle tag (default: the camera's). */
  tagPlate?: string;
  /** CAR/CAR_EC_NO: the electronic tag. */
  tagNo?: string;
  veCustomsNo?: string;
  /** Up to two: CONTA_ID_F, CONTA_ID_B. */
  containers?: string[];
  eseal?: string;
  grossKg?: number;
  vehicleKg?: number;
  /** IC/DR_IC_NO: the driver's IC card. */
  icNo?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const el = (name: string, v: string | number | undefined) => `<${name}>${v === undefined ? '' : esc(String(v))}</${name}>`;

/** `yyyy-MM-dd HH:mm:ss` Beijing time, as gate platforms write times. */
export function gateTimeString(ms: number): string {
  const t = customsTimeString(ms);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}`;
}

/** The collection message as XML. */
export function buildGatherInfoXml(p: GatherInfoInput): string {
  const [front, back] = p.containers ?? [];
  const tag = p.tagPlate ?? p.plate;
  const n = (p.containers ?? []).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<${GATE_ROOT} AREA_ID="${esc(p.site)}" CHNL_NO="${esc(p.channel)}" I_E_TYPE="${p.direction === 'in' ? 'I' : 'E'}" SEQ_NO="${esc(p.seqNo)}">`,
    `  <IC>${el('DR_IC_NO', p.icNo)}${el('IC_BILL_NO', undefined)}${el('IC_GROSS_WT', undefined)}${el('IC_CONTA_ID', undefined)}${el('IC_ESEAL_ID', undefined)}</IC>`,
    `  <WEIGHT>${el('GROSS_WT', p.grossKg)}</WEIGHT>`,
    `  <CAR>${el('VE_NAME', tag)}${el('CAR_EC_NO', p.tagNo)}${el('CAR_EC_NO2', undefined)}${el('VE_CUSTOMS_NO', p.veCustomsNo)}${el('VE_WT', p.vehicleKg)}</CAR>`,
    `  <CONTA>${el('CONTA_NUM', n)}${el('CONTA_RECO', n)}${el('CONTA_ID_F', front)}${el('CONTA_ID_B', back)}</CONTA>`,
    `  <SEAL>${el('ESEAL_ID', p.eseal)}${el('SEAL_KEY', undefined)}</SEAL>`,
    `  <OPTCAR>${el('PCAR_NO', p.plate)}${el('PCAR_PICNAME', p.plate ? `/gate/${p.channel}/${p.seqNo}_big.jpg` : undefined)}</OPTCAR>`,
    `  ${el('GATHER_TIME', gateTimeString(p.time))}`,
    `</${GATE_ROOT}>`,
    '',
  ].join('\n');
}

/** The same message in the gate platform's JSON publication shape (Cmd 33, Data holding the devices' reads). */
export function buildGatherInfoJson(p: GatherInfoInput): string {
  const [front, back] = p.containers ?? [];
  const s = (v: string | number | undefined) => (v === undefined ? '' : String(v));
  return JSON.stringify({
    Cmd: 33,
    Cmd_desc: '0x21',
    Event: GATE_ROOT,
    AREA_ID: p.site,
    CHNL_NO: p.channel,
    I_E_TYPE: p.direction === 'in' ? 'I' : 'E',
    SEQ_NO: p.seqNo,
    Data: {
      CAR: { VE_NAME: s(p.tagPlate ?? p.plate), CAR_EC_NO: s(p.tagNo), CAR_EC_NO2: '', VE_CUSTOMS_NO: s(p.veCustomsNo), VE_WT: s(p.vehicleKg) },
      CONTA: { CONTA_NUM: s((p.containers ?? []).length), CONTA_ID_F: s(front), CONTA_ID_B: s(back) },
      IC: { DR_IC_NO: s(p.icNo) },
      SEAL: { ESEAL_ID: s(p.eseal) },
      WEIGHT: { GROSS_WT: s(p.grossKg) },
      OPTCAR: { PCAR_NO: s(p.plate) },
      FILE_TIME: gateTimeString(p.time),
    },
  });
}
