// The manifest messages (新舱单) as zod schemas over readMessage's shape: the envelope
// Manifest/Head + Declaration, for MT1101 (原始舱单, the original manifest: vessel, voyage, bills,
// containers) and MT3101 (运抵报告, the arrival report: where and when, which containers).
// Element names follow the customs data model (urn:Declaration:datamodel:standard:CN:MT1101:1 and
// MT3101:1, whose namespaces readMessage drops): Consignment/TotalGrossMassMeasure,
// ConsignmentItem/Commodity/CargoDescription, TransportEquipment/EquipmentIdentification/ID,
// SealID@AgencyCode. The flat spellings some senders use (GrossMass, ConsignmentItem/CargoDescription,
// TariffClassificationCode) are taken too.
import { z } from 'zod';
import { decimal, optText, parseCustomsTime, text, textOf } from '../fields';

/** Elements that may repeat, at any depth (readMessage makes them arrays). */
export const REPEATING = ['Consignment', 'TransportEquipment', 'SealID', 'ConsignmentItem'] as const;

/** The most bills and containers one message may carry (a large vessel declares a few thousand). */
export const MAX_BILLS = 20_000;
export const MAX_CONTAINERS = 30_000;

/** An array from readMessage (XML) or JSON (one object or many), at most `max` long. */
const list = <T extends z.ZodType>(item: T, max: number) =>
  z
    .any()
    .refine((v) => v !== undefined, { message: 'Required' })
    .pipe(z.union([z.array(item), item.transform((v) => [v])]))
    .transform((v) => v as z.output<T>[])
    .pipe(z.array(z.any()).max(max, `at most ${max}`))
    .transform((v) => v as z.output<T>[]);

/** yyyyMMdd (Beijing midnight), yyyyMMddHHmmss[SSS] (Beijing) or ISO 8601 → ms. */
export const customsDate = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const s = String(v).trim();
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  const t = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00+08:00`) : parseCustomsTime(s);
  if (t === null || Number.isNaN(t)) {
    ctx.addIssue({ code: 'custom', message: 'a date as yyyyMMdd, yyyyMMddHHmmss[SSS] (Beijing) or ISO 8601 with an offset' });
    return z.NEVER;
  }
  return t;
});

/** ISO 6346: owner code (3 letters), category (U, J or Z), 6-digit serial, check digit. */
export const containerNo = text(15)
  .transform((s) => s.toUpperCase().replace(/\s+/g, ''))
  .pipe(z.string().regex(/^[A-Z]{3}[UJZ]\d{7}$/, 'a container number as ISO 6346 (e.g. CSLU1234562)'));

const idOf = (max: number) => z.object({ ID: text(max) }).passthrough();

const SealId = z.union([
  text(35).transform((no) => ({ no, agency: undefined as string | undefined })),
  z
    .object({ '#text': text(35), '@AgencyCode': optText(10) })
    .passthrough()
    .transform((o) => ({ no: o['#text'], agency: o['@AgencyCode'] })),
]);

const Equipment = z
  .object({
    EquipmentIdentification: z
      .object({ ID: containerNo })
      .passthrough()
      .transform((o) => o.ID),
    CharacteristicCode: optText(10),
    FullnessCode: optText(3),
    SealID: list(SealId, 20).optional(),
  })
  .passthrough();

const Item = z
  .object({
    SequenceNumeric: optText(5),
    CargoDescription: optText(512),
    TariffClassificationCode: optText(10),
    Commodity: z
      .object({ CargoDescription: optText(512), TariffClassificationCode: optText(10) })
      .passthrough()
      .optional(),
    Classification: z
      .object({ ID: optText(10) })
      .passthrough()
      .optional(),
  })
  .passthrough()
  .transform((i) => ({
    goods: i.Commodity?.CargoDescription ?? i.CargoDescription,
    hs: i.Commodity?.TariffClassificationCode ?? i.TariffClassificationCode ?? i.Classification?.ID,
  }));

const kg = decimal.pipe(z.number().gte(0).lt(1e9, 'less than 1,000,000,000 kg'));
const massOf = z.union([
  kg,
  z
    .object({ '#text': kg })
    .passthrough()
    .transform((o) => o['#text']),
]);

const Consignment = z
  .object({
    TransportContractDocument: idOf(35),
    AssociatedTransportDocument: z
      .object({ ID: optText(35) })
      .passthrough()
      .optional(),
    TotalGrossMassMeasure: massOf.optional(),
    GrossMass: massOf.optional(),
    TransportEquipment: list(Equipment, 500).optional(),
    ConsignmentItem: list(Item, 999).optional(),
  })
  .passthrough();

const BorderTransportMeans = z
  .object({
    JourneyID: text(32),
    TypeCode: optText(4),
    ID: text(35),
    Name: optText(70),
  })
  .passthrough();

const UnloadingLocation = z
  .object({
    ID: textOf(35),
    ArrivalDate: customsDate.optional(),
  })
  .passthrough();

export const Head = z
  .object({
    MessageID: text(64),
    FunctionCode: text(2),
    MessageType: z.enum(['MT1101', 'MT3101'], { message: 'MT1101 (original manifest) or MT3101 (arrival report)' }),
    SenderID: optText(64),
    ReceiverID: optText(64),
    SendTime: customsDate.optional(),
    Version: optText(10),
  })
  .passthrough();

export const OriginalManifest = z
  .object({
    DeclarationOfficeID: optText(4),
    BorderTransportMeans,
    UnloadingLocation: UnloadingLocation.optional(),
    Consignment: list(Consignment, MAX_BILLS),
  })
  .passthrough();

export const ArrivalReport = z
  .object({
    DeclarationOfficeID: optText(4),
    BorderTransportMeans,
    UnloadingLocation,
    TransportEquipment: list(z.object({ EquipmentIdentification: z.object({ ID: containerNo }).passthrough() }).passthrough(), MAX_CONTAINERS).optional(),
    Consignment: list(z.object({ TransportContractDocument: idOf(35) }).passthrough(), MAX_BILLS).optional(),
  })
  .passthrough();

export const Envelope = z.object({ Head, Declaration: z.record(z.string(), z.unknown()) }).passthrough();
