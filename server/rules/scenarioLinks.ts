// A scenario's documents through the real customs links (server/links/), for the evaluator: a
// LinkReceiver built as server/links/runtime.ts builds it, on the evaluator's pool and a real
// MovementService whose rules follower is the scenario's engine, with every link system the server
// runs (linkSystems, default thresholds). Messages are made with the links' own builders and sent
// at their time on the scenario clock; the reconciliation (receiver.sweep) runs on that clock too.
// Alerts the links raise are kept here as the alert service keeps them: once per episode, a clear
// only of an episode that is open. Each run gets its own container, e-seal, bill, declaration and
// message numbers (the links refuse a declaration number twice, and the gate looks for containers
// in bond on any open declaration); `normalise` turns them back into the scenario's names so runs compare.
import type pg from 'pg';
import type { ExternalAlert } from '../alerts/alertService';
import { loadConfig } from '../config';
import { DomainError } from '../errors';
import { buildGatherInfoJson, buildGatherInfoXml } from '../links/gate/build';
import { buildInspectionFlag, buildInspectionResult, inspectionResultObject } from '../links/inspection/build';
import { LinkReceiver } from '../links/receiver';
import { buildSiteLedgerXml } from '../links/site-ledger/build';
import { linkSystems } from '../links/systems';
import { buildTransitDeclaration, buildTransitRelease, buildTransitWriteOff } from '../links/transit/build';
import type { LinkCaller, LinkSystemName } from '../links/types';
import { MovementService } from '../movements/movementService';
import type { DocSpec, PreparedScenario } from './scenario';
import { ALERT_MAP_STATUS, ALERT_SEVERITY, type RuleAlert, type RuleEvent, type WatchedConsignment } from './types';

/** An alert as the evaluator hears it: the engine's, or a link's (which may name no vehicle: UNDECLARED_OUT). */
export type HeardAlert = Omit<RuleAlert, 'assetId'> & { assetId: number | null };
type Cleared = Extract<RuleEvent, { kind: 'cleared' }>;
/** What the evaluator scores: the engine's events and the links' raises and clears. */
export type Heard = Exclude<RuleEvent, { kind: 'raised' } | { kind: 'cleared' }> | { kind: 'raised'; alert: HeardAlert } | (Omit<Cleared, 'assetId'> & { assetId: number | null });

/** The alert types the links raise (episodes `<TYPE>/<row id>`). */
const LINK_TYPES = ['GATE_MISMATCH', 'NOT_RECEIVED', 'UNDECLARED_OUT', 'INSPECTION_OVERDUE'];

/** The sender: a direct customs' systems (2200 sees the Yangshan office 2248 and its sites). */
export const SCENARIO_DISTRICT = '2200';
const CALLER: LinkCaller = { source: 'scenario', district: SCENARIO_DISTRICT, userId: null, via: 'demo' };

/** What the links need to know of the scenario's actors. */
export interface ScenarioActors {
  plate(actor: string): string | undefined;
  /** The actor's movement stored directly (a consignment without a declaration): its reference. */
  reference(actor: string): string | undefined;
  /** Its consignment: route and sites by code, deadline (ms). */
  consignment(actor: string): { route: string; origin?: string; dest?: string; deadline: number } | undefined;
  /** Whether a reconciliation's alert is about this scenario's movements. */
  owns(a: ExternalAlert): boolean;
}

interface Declared {
  preId: string;
  turnNo: string;
  containers: string[];
  eseal?: string;
  movement?: number;
}

/** ISO 6346 check digit of a 4-letter owner code and 6-digit serial. */
function checkDigit(ten: string): number {
  const value = (ch: string) => {
    if (/\d/.test(ch)) return Number(ch);
    // A=10 … Z=38, skipping multiples of 11.
    let v = 10;
    for (let c = 65; c < ch.charCodeAt(0); c++) if (++v % 11 === 0) v++;
    return v;
  };
  const sum = [...ten].reduce((s, ch, i) => s + value(ch) * 2 ** i, 0);
  return (sum % 11) % 10;
}

export class ScenarioLinks {
  readonly receiver: LinkReceiver;
  readonly movements: MovementService;
  private heard: Heard[] = [];
  /** Episodes raised (type and vehicle, for their clear), and those cleared. */
  private raised = new Map<string, { type: Cleared['type']; assetId: number | null }>();
  private cleared = new Set<string>();
  private sweeping = false;
  private declared = new Map<string, Declared>();
  /** Run-specific value → the scenario's name for it. */
  private names = new Map<string, string>();
  private tokens = new Map<string, string>();
  private episodes = new Map<string, string>();
  private serial = 0;
  private messages = 0;

  constructor(
    private pool: pg.Pool,
    private run: string,
    private tag: string,
    private actors: ScenarioActors,
    rules: {
      watch(m: WatchedConsignment): RuleEvent[];
      unwatch(id: number): RuleEvent[];
      onEvent(e: { kind: string; time: number; assetId?: number; consignmentId?: number }): RuleEvent[];
    },
  ) {
    this.movements = new MovementService(pool);
    this.movements.follow({
      live: { invalidate: () => {} },
      rules: {
        watch: (m) => this.heard.push(...rules.watch(m)),
        unwatch: (id) => this.heard.push(...rules.unwatch(id)),
      },
    });
    this.receiver = new LinkReceiver(pool, this.movements, {
      raise: async (a) => this.raise(a),
      clear: async (episode, time, detail) => this.clear(episode, time, detail),
      onEvents: (events) => {
        for (const e of events) this.heard.push(...rules.onEvent({ kind: e.kind, time: e.time, assetId: e.assetId ?? undefined, consignmentId: e.consignmentId ?? undefined }));
      },
    });
    for (const s of linkSystems(loadConfig({}))) this.receiver.register(s);
  }

  /** What the engine and the links decided since the last call, in order. */
  take(): Heard[] {
    return this.heard.splice(0);
  }

  /** The movement a declaration created, by actor. */
  movementOf(actor: string): number | undefined {
    return this.declared.get(actor)?.movement;
  }

  hasDeclaration(actor: string): boolean {
    return this.declared.has(actor);
  }

  /** Prepares the actors' declarations (their numbers) before the timeline runs. */
  plan(docs: PreparedScenario['documents']): void {
    for (const d of docs) {
      if (d.doc !== 'declaration') continue;
      const n = this.declared.size + 1;
      this.declared.set(d.actor, {
        preId: this.token(`TRN${this.run.padStart(4, '0')}${String(n).padStart(3, '0')}`, `trn:${d.actor}`),
        turnNo: this.token(`ZG${this.run.padStart(4, '0')}${String(n).padStart(3, '0')}`, `turn:${d.actor}`),
        containers: d.containers.map((c) => this.container(c)),
        ...(d.eseal !== undefined && { eseal: this.seal(d.eseal) }),
      });
    }
  }

  /** Sends one document; a refusal comes back as the reason. */
  async send(d: PreparedScenario['documents'][number]): Promise<string | null> {
    const id = this.token(`${this.tag}/D${++this.messages}`, `msg:${this.messages}`);
    try {
      const [system, text] = await this.build(d, id);
      const r = await this.receiver.receive(system, text, CALLER, d.time);
      if (d.doc === 'declaration' && typeof r.summary.movement === 'number') this.declared.get(d.actor)!.movement = r.summary.movement;
      return null;
    } catch (err) {
      if (DomainError.is(err)) return `${d.doc} of ${'actor' in d ? d.actor : d.site}: refused (${err.kind}): ${err.message}`;
      throw err;
    }
  }

  /** The reconciliation at `now` (NOT_RECEIVED, INSPECTION_OVERDUE). */
  async sweep(now: number): Promise<void> {
    this.sweeping = true;
    try {
      await this.receiver.sweep(now);
    } finally {
      this.sweeping = false;
    }
  }

  /** Run-specific numbers and ids back to the scenario's names, episodes of link alerts to their order. */
  normalise<T>(value: T): T {
    const keys = [...this.names.keys()].sort((a, b) => b.length - a.length);
    if (keys.length === 0) return value;
    const re = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g');
    const walk = (v: unknown, key?: string): unknown => {
      if (typeof v === 'string') return v.replace(re, (m) => `<${this.names.get(m)}>`);
      if (typeof v === 'number' && (key === 'inspection' || key === 'entry' || key === 'movement')) return 'id';
      if (Array.isArray(v)) return v.map((x) => walk(x));
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
      return v;
    };
    return walk(value) as T;
  }

  /** A link alert's episode (`GATE_MISMATCH/<row id>`) as its order among the run's episodes of its type. */
  episode(ep: string): string {
    const m = /^([A-Z_]+)\/(\d+)$/.exec(ep);
    if (!m || !LINK_TYPES.includes(m[1]!)) return ep;
    let name = this.episodes.get(ep);
    if (!name) {
      const k = [...this.episodes.values()].filter((v) => v.startsWith(`${m[1]}/`)).length + 1;
      this.episodes.set(ep, (name = `${m[1]}/#${k}`));
    }
    return name;
  }

  private raise(a: ExternalAlert): boolean {
    // The sweeps read the whole database: earlier scenarios' movements are not this one's.
    if ((this.sweeping && !this.actors.owns(a)) || this.raised.has(a.episode)) return false;
    this.raised.set(a.episode, { type: a.type, assetId: a.assetId });
    this.heard.push({
      kind: 'raised',
      alert: {
        type: a.type,
        severity: ALERT_SEVERITY[a.type],
        mapStatus: ALERT_MAP_STATUS[a.type],
        assetId: a.assetId,
        ...(a.consignmentId !== null && { consignmentId: a.consignmentId }),
        time: a.time,
        ...(a.lon != null && { lon: a.lon }),
        ...(a.lat != null && { lat: a.lat }),
        detail: a.detail,
        episode: a.episode,
      },
    });
    return true;
  }

  private clear(episode: string, time: number, detail?: Record<string, unknown>): void {
    const raised = this.raised.get(episode);
    if (!raised || this.cleared.has(episode)) return;
    this.cleared.add(episode);
    this.heard.push({ kind: 'cleared', type: raised.type, assetId: raised.assetId, time, episode, ...(detail && { detail }) });
  }

  private token(value: string, name: string): string {
    this.names.set(value, name);
    return value;
  }

  /** The run's number for a symbolic container name: TWSU + 6-digit serial + check digit. */
  private container(name: string): string {
    const key = `container:${name}`;
    let v = this.tokens.get(key);
    if (!v) {
      const ten = `TWSU${(Number(this.run) % 1000).toString().padStart(3, '0')}${String(++this.serial).padStart(3, '0')}`;
      this.tokens.set(key, (v = this.token(`${ten}${checkDigit(ten)}`, name)));
    }
    return v;
  }

  private seal(name: string): string {
    return this.named(`seal:${name}`, `ES${this.run.padStart(4, '0')}${name.toUpperCase()}`, name);
  }

  private bill(name: string): string {
    return this.named(`bill:${name}`, `SCBL${this.run.padStart(4, '0')}${name.toUpperCase()}`, name);
  }

  private named(key: string, value: string, name: string): string {
    let v = this.tokens.get(key);
    if (!v) this.tokens.set(key, (v = this.token(value, name)));
    return v;
  }

  /** The plate a gate camera reads: an actor's, or a forged one named in the scenario. */
  private plateOf(name: string): string {
    const own = this.actors.plate(name);
    if (own) return this.token(own, `plate:${name}`);
    return this.named(
      `plate:${name}`,
      `FK${this.run}X${name
        .replace(/[^A-Za-z0-9]/g, '')
        .toUpperCase()
        .slice(0, 12)}`,
      `forged:${name}`,
    );
  }

  private declaration(actor: string): Declared {
    const d = this.declared.get(actor);
    if (!d) throw new Error(`${this.tag}: ${actor} has no declaration`);
    return d;
  }

  /** The movement's reference as documents name it: its declaration, or the reference it was stored under. */
  private referenceOf(actor: string): string {
    const preId = this.declared.get(actor)?.preId;
    if (preId) return preId;
    const ref = this.actors.reference(actor);
    if (!ref) throw new Error(`${this.tag}: ${actor} has no movement`);
    return this.token(ref, `ref:${actor}`);
  }

  private async build(d: DocSpec & { time: number }, id: string): Promise<[LinkSystemName, string]> {
    const envelope = { messageId: id, sentAt: d.time, senderId: 'SCENARIO' };
    switch (d.doc) {
      case 'declaration': {
        const c = this.actors.consignment(d.actor);
        const plate = this.actors.plate(d.actor);
        if (!c || !plate) throw new Error(`${this.tag}: a declaration needs ${d.actor} to be a vehicle with a consignment`);
        const { rows } = await this.pool.query<{ from_code: string; from_district: string; to_code: string; to_district: string }>(
          `SELECT f.code AS from_code, f.district AS from_district, t.code AS to_code, t.district AS to_district
           FROM routes r JOIN sites f ON f.code = coalesce($2, (SELECT code FROM sites WHERE id = r.from_site))
                         JOIN sites t ON t.code = coalesce($3, (SELECT code FROM sites WHERE id = r.to_site))
           WHERE r.code = $1`,
          [c.route, c.origin ?? null, c.dest ?? null],
        );
        const r = rows[0];
        if (!r) throw new Error(`${this.tag}: no route ${c.route}`);
        const decl = this.declaration(d.actor);
        this.token(plate, `plate:${d.actor}`);
        return [
          'transit',
          buildTransitDeclaration({
            ...envelope,
            preId: decl.preId,
            plate,
            originCustoms: r.from_district,
            destCustoms: r.to_district,
            originSite: r.from_code,
            destSite: r.to_code,
            validTime: c.deadline,
            contractorName: 'Scenario Logistics',
            bills: d.bills.map((b) => ({ billNo: this.bill(b) })),
            containers: decl.containers.map((k, i) => ({ containerNo: k, model: '40HC', ...(i === 0 && decl.eseal && { sealNo: decl.eseal }) })),
          }),
        ];
      }
      case 'release': {
        const decl = this.declaration(d.actor);
        return ['transit', buildTransitRelease({ ...envelope, preId: decl.preId, turnNo: decl.turnNo })];
      }
      case 'writeoff':
        return ['transit', buildTransitWriteOff({ ...envelope, preId: this.declaration(d.actor).preId })];
      case 'gate': {
        const decl = this.declared.get(d.actor);
        const plate = this.plateOf(d.plate ?? d.actor);
        const containers = d.containers ? d.containers.map((k) => this.container(k)) : (decl?.containers ?? []);
        const eseal = d.eseal === null ? undefined : d.eseal !== undefined ? this.seal(d.eseal) : decl?.eseal;
        const pass = { site: d.site, channel: 'L1', direction: d.direction, seqNo: id, time: d.time, plate, containers, ...(eseal && { eseal }), grossKg: 32_000 };
        return ['gate', d.format === 'json' ? buildGatherInfoJson(pass) : buildGatherInfoXml(pass)];
      }
      case 'goods': {
        const decl = d.actor ? this.declared.get(d.actor) : undefined;
        const containers = d.containers ? d.containers.map((k) => this.container(k)) : (decl?.containers ?? []);
        if (containers.length === 0) throw new Error(`${this.tag}: goods at ${d.site} name no container`);
        const reference = d.actor ? this.referenceOf(d.actor) : undefined;
        return [
          'site-ledger',
          buildSiteLedgerXml({
            messageId: id,
            site: d.site,
            records: containers.map((container) => ({ direction: d.direction, container, ...(reference && { reference }), packages: 40, weightKg: 18_000, time: d.time })),
          }),
        ];
      }
      case 'inspectionFlag':
        return ['inspection', buildInspectionFlag({ ...envelope, reference: this.referenceOf(d.actor), reason: d.reason, ...(d.site && { site: d.site }) })];
      case 'inspectionResult': {
        const r = { ...envelope, reference: this.referenceOf(d.actor), result: d.result, ...(d.newSeal && { newSeal: this.seal(d.newSeal) }) };
        return ['inspection', d.format === 'json' ? JSON.stringify(inspectionResultObject(r)) : buildInspectionResult(r)];
      }
    }
  }
}
