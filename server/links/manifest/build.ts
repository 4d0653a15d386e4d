// Builds manifest messages (MT1101 original manifest, MT3101 arrival report) from plain objects,
// as the manifest system would send them: the demo world and the tests use these. The message is
// one object (element names as keys, `@Attr` attributes, `#text`), written out as XML (with the
// customs namespace) or as JSON, so both forms carry the same document.
import { customsTimeString } from '../fields';

export interface ManifestHeadInput {
  messageId: string;
  /** 2 new (default), 5 change, 3 delete (refused by the link). */
  functionCode?: '2' | '3' | '5' | '9';
  senderId?: string;
  receiverId?: string;
  /** ms; default now. */
  sendTime?: number;
}

export interface VesselInput {
  /** 7-digit IMO number: the ID becomes UN + IMO. */
  imo?: string;
  /** BorderTransportMeans/ID as is (when there is no IMO), e.g. a call sign. */
  id?: string;
  name?: string;
  /** The voyage. */
  journeyId: string;
  /** Transport means type (1: ocean-going vessel). */
  typeCode?: string;
}

export interface ContainerInput {
  containerNo: string;
  /** CharacteristicCode, e.g. 22G1 (20' GP), 45G1 (40' HC). */
  sizeType?: string;
  /** FullnessCode: 5 full (FCL), 8 LCL, 4 empty. */
  fullness?: string;
  seals?: { no: string; agency?: string }[];
}

export interface BillInput {
  billNo: string;
  houseNo?: string;
  grossMassKg?: number;
  items?: { goods: string; hs?: string }[];
  containers?: ContainerInput[];
}

export interface MT1101Input extends ManifestHeadInput {
  vessel: VesselInput;
  /** UnloadingLocation/ID: UN/LOCODE and customs code, e.g. CNSHA/2248. */
  unloadingPort: string;
  /** Expected arrival (ms), written as yyyyMMdd. */
  arrivalDate?: number;
  declarationOffice?: string;
  carrierId?: string;
  bills: BillInput[];
}

export interface MT3101Input extends ManifestHeadInput {
  vessel: VesselInput;
  unloadingPort: string;
  /** When the vessel arrived (ms), written as yyyyMMddHHmmss (Beijing). */
  arrivedAt: number;
  declarationOffice?: string;
  /** The containers reported in. */
  containers?: string[];
  /** Bulk cargo: the bills reported in. */
  bills?: string[];
}

type Node = string | { [k: string]: Node | Node[] | undefined };

const NS = (type: string) => `urn:Declaration:datamodel:standard:CN:${type}:1`;
const day = (ms: number) => customsTimeString(ms).slice(0, 8);
const seconds = (ms: number) => customsTimeString(ms).slice(0, 14);

function head(type: 'MT1101' | 'MT3101', h: ManifestHeadInput): Node {
  return {
    MessageID: h.messageId,
    FunctionCode: h.functionCode ?? '2',
    MessageType: type,
    SenderID: h.senderId ?? '2248EPORT0001',
    ReceiverID: h.receiverId ?? 'EPORT',
    SendTime: customsTimeString(h.sendTime ?? Date.now()),
    Version: '1.0',
  };
}

function vessel(v: VesselInput): Node {
  const id = v.imo ? `UN${v.imo}` : v.id;
  if (!id) throw new Error('vessel: an imo or an id');
  return { JourneyID: v.journeyId, TypeCode: v.typeCode ?? '1', ID: id, ...(v.name && { Name: v.name }) };
}

/** The MT1101 message as the object both forms carry (`{ Manifest: { Head, Declaration } }`). */
export function mt1101Object(m: MT1101Input): { Manifest: Node } {
  return {
    Manifest: {
      Head: head('MT1101', m),
      Declaration: {
        ...(m.declarationOffice && { DeclarationOfficeID: m.declarationOffice }),
        BorderTransportMeans: vessel(m.vessel),
        ...(m.carrierId && { Carrier: { ID: m.carrierId } }),
        UnloadingLocation: { ID: m.unloadingPort, ...(m.arrivalDate !== undefined && { ArrivalDate: day(m.arrivalDate) }) },
        Consignment: m.bills.map((b) => ({
          TransportContractDocument: { ID: b.billNo },
          ...(b.houseNo && { AssociatedTransportDocument: { ID: b.houseNo } }),
          ...(b.grossMassKg !== undefined && { TotalGrossMassMeasure: String(b.grossMassKg) }),
          TransportEquipment: (b.containers ?? []).map((k) => ({
            EquipmentIdentification: { ID: k.containerNo },
            ...(k.sizeType && { CharacteristicCode: k.sizeType }),
            ...(k.fullness && { FullnessCode: k.fullness }),
            SealID: (k.seals ?? []).map((s) => (s.agency ? { '#text': s.no, '@AgencyCode': s.agency } : s.no)),
          })),
          ConsignmentItem: (b.items ?? []).map((it, i) => ({
            SequenceNumeric: String(i + 1),
            Commodity: { CargoDescription: it.goods, ...(it.hs && { TariffClassificationCode: it.hs }) },
          })),
        })),
      },
    },
  };
}

export function mt3101Object(m: MT3101Input): { Manifest: Node } {
  return {
    Manifest: {
      Head: head('MT3101', m),
      Declaration: {
        ...(m.declarationOffice && { DeclarationOfficeID: m.declarationOffice }),
        BorderTransportMeans: vessel(m.vessel),
        UnloadingLocation: { ID: m.unloadingPort, ArrivalDate: seconds(m.arrivedAt) },
        TransportEquipment: (m.containers ?? []).map((k) => ({ EquipmentIdentification: { ID: k } })),
        Consignment: (m.bills ?? []).map((b) => ({ TransportContractDocument: { ID: b } })),
      },
    },
  };
}

/** An MT1101 original manifest (or its change, functionCode 5) as XML (default) or JSON. */
export function buildMT1101(m: MT1101Input, format: 'xml' | 'json' = 'xml'): string {
  return write(mt1101Object(m), 'MT1101', format);
}

/** An MT3101 arrival report as XML (default) or JSON. */
export function buildMT3101(m: MT3101Input, format: 'xml' | 'json' = 'xml'): string {
  return write(mt3101Object(m), 'MT3101', format);
}

/** ISO 6346 check digit of the first 10 characters (owner code, category, serial). */
export function containerCheckDigit(first10: string): number {
  const value = (ch: string) => {
    if (/\d/.test(ch)) return Number(ch);
    const v = ch.charCodeAt(0) - 55; // A = 10, skipping multiples of 11
    return v + Math.floor((v - 1) / 10);
  };
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += value(first10[i]!) * 2 ** i;
  return (sum % 11) % 10;
}

/** A container number with its check digit: containerNumber('CSLU', 123456) → CSLU1234565. */
export function containerNumber(ownerAndCategory: string, serial: number): string {
  const first10 = `${ownerAndCategory.toUpperCase()}${String(serial % 1_000_000).padStart(6, '0')}`;
  return `${first10}${containerCheckDigit(first10)}`;
}

function write(obj: { Manifest: Node }, type: string, format: 'xml' | 'json'): string {
  if (format === 'json') return JSON.stringify(obj);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Manifest xmlns="${NS(type)}">${children(obj.Manifest as Record<string, Node | Node[] | undefined>)}</Manifest>\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function children(o: Record<string, Node | Node[] | undefined>): string {
  let out = '';
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('@') || k === '#text' || v === undefined) continue;
    for (const n of Array.isArray(v) ? v : [v]) out += element(k, n);
  }
  return out;
}

function element(name: string, n: Node): string {
  if (typeof n === 'string') return `<${name}>${esc(n)}</${name}>`;
  const attrs = Object.entries(n)
    .filter(([k, v]) => k.startsWith('@') && typeof v === 'string')
    .map(([k, v]) => ` ${k.slice(1)}="${esc(v as string)}"`)
    .join('');
  const text = typeof n['#text'] === 'string' ? esc(n['#text']) : '';
  return `<${name}${attrs}>${text}${children(n)}</${name}>`;
}
