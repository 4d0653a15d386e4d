// A manifest message's text (XML or JSON) → its document: the original manifest (MT1101: new or
// change) or the arrival report (MT3101). Only the fields this platform keeps are carried on.
import { invalid } from '../../errors';
import type { MessageFormat, ParsedMessage } from '../types';
import { describeIssues, readMessage } from '../xml';
import { ArrivalReport, Envelope, MAX_CONTAINERS, OriginalManifest, REPEATING } from './schema';

export interface ManifestContainer {
  containerNo: string;
  sizeType?: string;
  fullness?: string;
  sealNo?: string;
  sealAgency?: string;
}

export interface ManifestBill {
  billNo: string;
  houseNo?: string;
  grossMassKg?: number;
  /** The first item's description, and how many more items there are. */
  goods?: string;
  hsCodes: string[];
  containers: ManifestContainer[];
}

/** Where the vessel unloads: `CNSHA/2248` (UN/LOCODE and customs code) → its customs district. */
export interface UnloadingPort {
  /** UnloadingLocation/ID as sent; `<ID>/<DeclarationOfficeID>` when the ID names no customs. */
  id: string;
  /** The 4-digit customs district the port is under: the jurisdiction of the manifest. */
  district: string;
}

interface Vessel {
  /** BorderTransportMeans/ID, e.g. UN9000001. */
  id: string;
  /** The IMO number, when the ID is UN + 7 digits. */
  imo: string | null;
  journeyId: string;
  name?: string;
  typeCode?: string;
}

export interface OriginalManifestDoc {
  type: 'MT1101';
  action: 'new' | 'change';
  vessel: Vessel;
  port: UnloadingPort;
  /** The expected arrival, when the manifest gives one. */
  arrivalDate?: number;
  bills: ManifestBill[];
}

export interface ArrivalReportDoc {
  type: 'MT3101';
  vessel: Vessel;
  port: UnloadingPort;
  arrivedAt: number;
  /** The containers reported in (empty: the bills name what arrived, or the whole manifest did). */
  containers: string[];
  bills: string[];
}

export type ManifestDoc = OriginalManifestDoc | ArrivalReportDoc;

/** FunctionCode: 2 new (9, the WCO "original", read as new), 5 change, 3 delete. */
const ACTIONS: Record<string, 'new' | 'change'> = { '2': 'new', '9': 'new', '5': 'change' };

export function parseManifest(raw: string, format: MessageFormat): ParsedMessage<ManifestDoc> {
  const env = Envelope.safeParse(readMessage(raw, format, 'Manifest', REPEATING));
  if (!env.success) throw invalid(describeIssues(env.error.issues));
  const head = env.data.Head;
  const action = ACTIONS[head.FunctionCode];
  if (!action) {
    throw invalid(
      head.FunctionCode === '3'
        ? 'Head.FunctionCode: 3 (delete) is not taken by this link; the manifest stays as declared'
        : `Head.FunctionCode: ${head.FunctionCode.slice(0, 2)} is not one of 2 (new), 5 (change)`,
    );
  }
  const at = (prefix: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
    invalid(describeIssues(issues.map((i) => ({ ...i, path: [prefix, ...i.path] }))));
  const base = { messageId: head.MessageID, messageType: head.MessageType, ...(head.SendTime !== undefined && { sentAt: head.SendTime }) };

  if (head.MessageType === 'MT1101') {
    const r = OriginalManifest.safeParse(env.data.Declaration);
    if (!r.success) throw at('Declaration', r.error.issues);
    const d = r.data;
    const bills = d.Consignment.map((c): ManifestBill => ({
      billNo: c.TransportContractDocument.ID,
      houseNo: c.AssociatedTransportDocument?.ID,
      grossMassKg: c.TotalGrossMassMeasure ?? c.GrossMass,
      goods: goodsOf(c.ConsignmentItem ?? []),
      hsCodes: [...new Set((c.ConsignmentItem ?? []).map((i) => i.hs).filter((h): h is string => !!h))],
      containers: (c.TransportEquipment ?? []).map((e) => ({
        containerNo: e.EquipmentIdentification,
        sizeType: e.CharacteristicCode,
        fullness: e.FullnessCode,
        sealNo: e.SealID?.[0]?.no,
        sealAgency: e.SealID?.[0]?.agency,
      })),
    }));
    checkUnique(bills);
    return {
      ...base,
      doc: {
        type: 'MT1101',
        action,
        vessel: vesselOf(d.BorderTransportMeans),
        port: portOf(d.UnloadingLocation?.ID, d.DeclarationOfficeID),
        ...(d.UnloadingLocation?.ArrivalDate !== undefined && { arrivalDate: d.UnloadingLocation.ArrivalDate }),
        bills,
      },
    };
  }

  const r = ArrivalReport.safeParse(env.data.Declaration);
  if (!r.success) throw at('Declaration', r.error.issues);
  const d = r.data;
  if (d.UnloadingLocation.ArrivalDate === undefined) throw invalid('Declaration.UnloadingLocation.ArrivalDate: Required');
  return {
    ...base,
    doc: {
      type: 'MT3101',
      vessel: vesselOf(d.BorderTransportMeans),
      port: portOf(d.UnloadingLocation.ID, d.DeclarationOfficeID),
      arrivedAt: d.UnloadingLocation.ArrivalDate,
      containers: [...new Set((d.TransportEquipment ?? []).map((e) => e.EquipmentIdentification.ID))],
      bills: [...new Set((d.Consignment ?? []).map((c) => c.TransportContractDocument.ID))],
    },
  };
}

function vesselOf(b: { JourneyID: string; ID: string; Name?: string; TypeCode?: string }): Vessel {
  const id = b.ID.toUpperCase();
  const imo = /^UN(\d{7})$/.exec(id)?.[1] ?? null;
  return { id, imo, journeyId: b.JourneyID, name: b.Name, typeCode: b.TypeCode };
}

/**
 * The port's customs district: the 4 digits after the slash of `CNSHA/2248…` (the customs code of
 * the unloading place), or DeclarationOfficeID when the location carries no customs code.
 */
export function portOf(id: string | undefined, office: string | undefined): UnloadingPort {
  const code = id?.split('/')[1]?.trim() ?? (id && /^\d{4}/.test(id) ? id : undefined);
  const district = /^\d{4}/.exec(code ?? '')?.[0] ?? (office && /^\d{4}$/.test(office) ? office : undefined);
  if (!district) {
    throw invalid(
      id
        ? `Declaration.UnloadingLocation.ID: ${id} names no customs code (expected e.g. CNSHA/2248), and there is no DeclarationOfficeID`
        : 'Declaration.UnloadingLocation.ID: Required (the unloading port and its customs, e.g. CNSHA/2248)',
    );
  }
  // Kept as LOCODE/customs, so that the port call that arrives it can read the customs back.
  return { id: !id ? district : id.includes('/') || /^\d{4}/.test(id) ? id : `${id}/${district}`, district };
}

function goodsOf(items: { goods?: string }[]): string | undefined {
  const first = items.find((i) => i.goods)?.goods;
  if (!first) return undefined;
  return items.length > 1 ? `${first} (+${items.length - 1})` : first;
}

function checkUnique(bills: ManifestBill[]): void {
  const total = bills.reduce((n, b) => n + b.containers.length, 0);
  if (total > MAX_CONTAINERS) throw invalid(`Declaration.Consignment: ${total} containers, more than ${MAX_CONTAINERS} in one message`);
  const seen = new Set<string>();
  bills.forEach((b, i) => {
    if (seen.has(b.billNo)) throw invalid(`Declaration.Consignment.${i}.TransportContractDocument.ID: bill ${b.billNo} appears twice`);
    seen.add(b.billNo);
    const boxes = new Set<string>();
    b.containers.forEach((c, k) => {
      if (boxes.has(c.containerNo)) throw invalid(`Declaration.Consignment.${i}.TransportEquipment.${k}: container ${c.containerNo} appears twice in bill ${b.billNo}`);
      boxes.add(c.containerNo);
    });
  });
}
