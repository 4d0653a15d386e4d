// The documents of a movement as the console tells them: the customs systems' messages
// (GET /api/consignments/{id}/documents) grouped in the order a movement lives them — declared,
// its bills and containers, sealed, inspected, through the gates, into and out of the site
// ledgers, the zone passes, the vessel's port call — each group oldest first.

/** One document as GET /api/consignments/{id}/documents lists it (server/queries/linkMessages.ts). */
export interface LinkDocument {
  id: number;
  system: string;
  messageId: string;
  messageType: string;
  receivedAt: number;
  sentAt: number | null;
  source: string;
  summary: Record<string, unknown>;
}

/** One message whole, as GET /api/links/messages/{id} answers. */
export interface LinkMessage extends LinkDocument {
  format: 'xml' | 'json';
  via: string;
  district: string;
  raw: string;
  movements: number[];
}

/** The systems in the order of the story; a system not named here comes after them, by name. */
export const STORY_SYSTEMS = ['transit', 'manifest', 'eseal', 'inspection', 'gate', 'site-ledger', 'zone', 'port-call'] as const;

/** The summary keys the console has labels for (HELPERS.md's summary conventions), in the order they are shown. */
export const SUMMARY_KEYS = [
  'status',
  'declaration',
  'turnNo',
  'bills',
  'containers',
  'eseal',
  'plate',
  'vessel',
  'voyage',
  'port',
  'site',
  'direction',
  'decision',
  'mismatch',
  'result',
  'newSeal',
  'passport',
  'zone',
  'goods',
  'weightKg',
  // What the links also say (transit, inspection): named in words rather than as field codes.
  'reason',
  'note',
  'from',
  'route',
  'origin',
  'destination',
  'originCustoms',
  'destCustoms',
  'deadline',
  'reference',
  'flaggedBy',
  'movement',
  'inspection',
] as const;
export type SummaryKey = (typeof SUMMARY_KEYS)[number];

export const isSummaryKey = (k: string): k is SummaryKey => (SUMMARY_KEYS as readonly string[]).includes(k);

export interface DocumentGroup {
  system: string;
  documents: LinkDocument[];
}

/** When a document happened: its own send time when it has one, else when it was received. */
export const documentTime = (d: LinkDocument): number => d.sentAt ?? d.receivedAt;

const rank = (system: string): number => {
  const i = (STORY_SYSTEMS as readonly string[]).indexOf(system);
  return i < 0 ? STORY_SYSTEMS.length : i;
};

/** The documents grouped by system in the story's order, each group oldest first. */
export function storyOf(docs: LinkDocument[]): DocumentGroup[] {
  const bySystem = new Map<string, LinkDocument[]>();
  for (const d of docs) bySystem.set(d.system, [...(bySystem.get(d.system) ?? []), d]);
  return [...bySystem]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([system, list]) => ({ system, documents: [...list].sort((a, b) => documentTime(a) - documentTime(b) || a.id - b.id) }));
}

/** The summary's entries to show: the known keys in their order, then any others as they came; empty values left out. */
export function summaryEntries(summary: Record<string, unknown>): [string, unknown][] {
  const shown = (v: unknown) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);
  const known = SUMMARY_KEYS.filter((k) => Object.hasOwn(summary, k) && shown(summary[k])).map((k): [string, unknown] => [k, summary[k]]);
  const others = Object.entries(summary).filter(([k, v]) => !isSummaryKey(k) && shown(v));
  return [...known, ...others];
}

/** A gate held the truck, or something did not match the declaration: the officer must look. */
export function isCritical(d: LinkDocument): boolean {
  const m = d.summary.mismatch;
  const mismatch = Array.isArray(m) ? m.length > 0 : typeof m === 'string' ? m.trim() !== '' : m === true;
  return d.summary.decision === 'hold' || mismatch;
}

export type InspectionState = { state: 'none' } | { state: 'flagged'; since: number } | { state: 'done'; result: string; at: number };

/**
 * Where the movement stands with inspection, from its inspection documents: the latest one
 * decides. A document without a result is a flag (the task is open); one with a result closes it.
 */
export function inspectionState(docs: LinkDocument[]): InspectionState {
  const list = docs.filter((d) => d.system === 'inspection').sort((a, b) => documentTime(a) - documentTime(b) || a.id - b.id);
  const last = list[list.length - 1];
  if (!last) return { state: 'none' };
  const result = last.summary.result;
  if (result === undefined || result === null || result === '') return { state: 'flagged', since: documentTime(last) };
  return { state: 'done', result: String(result), at: documentTime(last) };
}
