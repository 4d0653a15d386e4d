// The demo world's documents: what the customs systems would send about the simulated fleet, sent
// through the same link receiver as a real system's messages (server/links/), so the demo tells the
// whole story on the wall, the console and the alert feed:
//   a vessel's manifest (MT1101) when the demo starts (its arrival is the port-call detector's to see);
//   a truck run's transit declaration and release when it is planned (its bills and containers from a
//   manifest of that port when there is one), the origin gate's pass when it leaves, the destination
//   gate's pass when it arrives, the goods received into the site's ledger a few minutes later, and
//   the write-off after that; now and then an inspection flag with its result.
// A few go wrong each hour, as in real life: a gate reads another plate (GATE_MISMATCH), goods never
// reach the ledger (NOT_RECEIVED), an inspection gets no result (INSPECTION_OVERDUE), a truck crosses
// a bonded zone's fence without its 核放单 (ZONE_UNAUTHORISED).
//
// Messages go one at a time, in order; a refused one is reported and the story goes on.
import { buildGatherInfoXml } from '../links/gate/build';
import { buildInspectionFlag, buildInspectionResult } from '../links/inspection/build';
import { buildMT1101, containerNumber } from '../links/manifest/build';
import type { ReceiveResult } from '../links/receiver';
import { buildSiteLedgerXml } from '../links/site-ledger/build';
import { buildTransitDeclaration, buildTransitRelease, buildTransitWriteOff } from '../links/transit/build';
import { buildSas121 } from '../links/zone/build';
import type { LinkCaller, LinkSystemName } from '../links/types';
import type { Truck, TruckRun, Vessel } from './fleet';
import { hashSeed, Rng } from './random';
import { MIN } from './simOptions';
import type { World } from './world/types';

/** How often things go wrong, per truck run. */
export interface Mishaps {
  /** The destination gate's camera reads another plate: GATE_MISMATCH, the truck is held. */
  gatePlate: number;
  /** The goods never reach the destination's ledger: NOT_RECEIVED after LINKS_RECEIVE_MINUTES. */
  notReceived: number;
  /** The movement is flagged for inspection at release. */
  inspect: number;
  /** A flagged movement gets no result: INSPECTION_OVERDUE after LINKS_INSPECTION_MINUTES. */
  inspectionSilent: number;
  /** A run into or out of a bonded zone without its 核放单: ZONE_UNAUTHORISED at the fence. */
  noPassport: number;
}

/** With ~300 trucks on 1–3 h runs: a handful of each mishap an hour. */
export const DEMO_MISHAPS: Mishaps = { gatePlate: 0.015, notReceived: 0.03, inspect: 0.06, inspectionSilent: 0.25, noPassport: 0.04 };

/** The demo's systems speak with national reach: it is the customs network itself. */
const DEMO_CALLER: LinkCaller = { source: 'demo', district: '0000', userId: null, via: 'demo' };

interface Receiver {
  receive(system: string, text: string, caller: LinkCaller): Promise<ReceiveResult>;
}

interface Load {
  bills: { billNo: string; shipId?: string; voyageNo?: string; containers: string[] }[];
  containers: { containerNo: string; model: string; sealNo: string }[];
  weightKg: number;
  packages: number;
}

interface RunDocs {
  preId: string;
  load: Load;
  mishap: { gatePlate: boolean; notReceived: boolean; inspect: boolean; inspectionSilent: boolean; noPassport: boolean };
}

interface ManifestLoad {
  vessel: string;
  imo: string;
  voyage: string;
  bills: { billNo: string; containers: string[] }[];
}

export interface DemoDocumentsStats {
  sent: number;
  refused: number;
  byType: Record<string, number>;
}

export class DemoDocuments {
  private rng: Rng;
  private stamp: string;
  private seq = 0;
  private stopped = false;
  private chain: Promise<unknown> = Promise.resolve();
  private due: { at: number; what: () => Promise<unknown> }[] = [];
  private runs = new WeakMap<TruckRun, RunDocs>();
  private siteDistrict: Map<string, string>;
  private siteKind: Map<string, string>;
  /** Per port site: the manifests of vessels bound there, whose bills trucks carry on. */
  private manifests = new Map<string, ManifestLoad[]>();
  readonly stats: DemoDocumentsStats = { sent: 0, refused: 0, byType: {} };

  constructor(
    private links: Receiver,
    world: World,
    private opts: { seed: number; now: number; say: (m: string) => void; mishaps?: Mishaps },
  ) {
    // A new stamp each start: message ids and declaration numbers never collide with an earlier run's.
    this.rng = new Rng(hashSeed(opts.seed, 0x444f43, opts.now % 2 ** 31));
    this.stamp = `${opts.now.toString(36)}${(opts.seed >>> 0).toString(36)}`.toUpperCase();
    this.siteDistrict = new Map(world.sites.map((s) => [s.code, s.district]));
    this.siteKind = new Map(world.sites.map((s) => [s.code, s.kind]));
    this.portOfLane = new Map(world.lanes.filter((l) => (l.kind ?? 'approach') === 'approach').map((l) => [l.code, l.port]));
  }
  private portOfLane: Map<string, string>;

  private get mishaps(): Mishaps {
    return this.opts.mishaps ?? DEMO_MISHAPS;
  }

  // --- the story's steps (called by the demo feed) ---

  /** Each class A vessel bound for a port declares its manifest (MT1101). */
  async declareVessels(vessels: readonly Vessel[]): Promise<void> {
    for (const v of vessels) {
      const port = this.portOfLane.get(v.laneCode);
      if (!port || !v.imo) continue;
      const voyage = `${this.rng.int(100, 999)}${this.rng.pick(['E', 'W', 'N', 'S'])}`;
      const bills = Array.from({ length: this.rng.int(2, 4) }, (_, i) => ({
        billNo: `${this.rng.pick(['COSU', 'MSKU', 'EGLV', 'OOLU', 'CMDU'])}${this.rng.digits(8)}${i}`,
        containers: Array.from({ length: this.rng.int(1, 2) }, () => containerNumber(this.rng.pick(['CSQU', 'MSCU', 'TGHU', 'OOLU', 'CMAU']), this.rng.int(100000, 999999))),
      }));
      const load: ManifestLoad = { vessel: v.name, imo: v.imo, voyage, bills };
      const list = this.manifests.get(port) ?? [];
      list.push(load);
      this.manifests.set(port, list);
      await this.send(
        'manifest',
        'MT1101',
        buildMT1101({
          messageId: this.messageId('MFT'),
          sendTime: this.opts.now,
          vessel: { imo: v.imo, name: v.name, journeyId: voyage, typeCode: '1' },
          unloadingPort: `CNPRT/${this.siteDistrict.get(port) ?? '0000'}`,
          arrivalDate: this.opts.now + 86_400_000,
          bills: bills.map((b) => ({
            billNo: b.billNo,
            grossMassKg: 18_000 * b.containers.length,
            items: [{ goods: this.rng.pick(['电子元器件 electronic components', '机械零件 machine parts', '服装 garments', '家具 furniture']), hs: '85423900' }],
            containers: b.containers.map((c) => ({ containerNo: c, sizeType: '45G1', fullness: '5', seals: [{ no: `CN${this.rng.digits(7)}`, agency: 'CA' }] })),
          })),
        }),
      );
    }
  }

  /**
   * A run was planned (or is under way when the demo starts): its declaration and release; one that
   * left already also gets its origin gate's pass.
   */
  async declare(truck: Truck, run: TruckRun, underWay: boolean, now: number): Promise<void> {
    const docs = this.plan(run);
    // Documents are dated now. A run already under way when the demo starts is declared, released and
    // passed out of its gate at the start: its movement is watched from then, so silence before the
    // demo began is no SIGNAL_LOST.
    const sentAt = now;
    await this.send(
      'transit',
      'TrnDeclaration',
      buildTransitDeclaration({
        messageId: this.messageId('TRN'),
        sentAt,
        preId: docs.preId,
        plate: truck.plate,
        originCustoms: this.siteDistrict.get(run.originSite) ?? '0000',
        destCustoms: this.siteDistrict.get(run.destSite) ?? '0000',
        originSite: run.originSite,
        destSite: run.destSite,
        validTime: run.deadline,
        contractorName: run.carrier,
        bills: docs.load.bills.map((b) => ({ billNo: b.billNo, shipId: b.shipId, voyageNo: b.voyageNo })),
        containers: docs.load.containers,
      }),
    );
    await this.send('transit', 'TrnRelease', buildTransitRelease({ messageId: this.messageId('TRN'), sentAt, preId: docs.preId, turnNo: `@${this.rng.digits(15)}` }));
    if (docs.mishap.inspect) {
      const site = run.destSite;
      await this.send('inspection', 'InspFlag', buildInspectionFlag({ messageId: this.messageId('INS'), sentAt, reference: docs.preId, reason: '风险布控', site }));
    }
    // A bonded zone's fence needs a 核放单 each way: in to a bonded destination, out of a bonded origin.
    for (const [site, io] of [
      [run.destSite, 'in'],
      [run.originSite, 'out'],
    ] as const) {
      if (this.siteKind.get(site) !== 'bonded_zone' || docs.mishap.noPassport) continue;
      await this.send(
        'zone',
        'SAS121',
        buildSas121(
          {
            passportNo: `${site.slice(0, 4)}${io === 'in' ? 'I' : 'E'}${this.rng.digits(13)}`,
            type: 2,
            bindType: 2,
            relatedType: 3,
            relatedNo: docs.load.bills[0]!.billNo,
            io,
            masterCustoms: this.siteDistrict.get(site) ?? '0000',
            areaCode: site.replace('-', ''),
            plate: truck.plate,
            containers: docs.load.containers.map((c) => c.containerNo),
            grossWt: docs.load.weightKg,
          },
          { messageId: this.messageId('SAS'), sendTime: sentAt },
        ),
      );
    }
    if (underWay) await this.gate(truck, run, 'out', now);
  }

  /** The truck leaves its origin: the origin gate's pass. */
  started(truck: Truck, run: TruckRun, time: number): void {
    // Not declared yet (the fleet is still being declared at start): its declaration passes it out.
    if (!this.runs.has(run)) return;
    this.later(time, () => this.gate(truck, run, 'out', time));
  }

  /** The truck reaches its destination: the gate, then goods in, an inspection result, the write-off. */
  ended(truck: Truck, run: TruckRun, time: number): void {
    const docs = this.runs.get(run);
    if (!docs) return;
    this.later(time, () => this.gate(truck, run, 'in', time));
    if (docs.mishap.gatePlate) return; // held at the gate: the officers take it from here
    const received = time + this.rng.float(2, 6) * MIN;
    if (!docs.mishap.notReceived) {
      this.later(received, () =>
        this.send(
          'site-ledger',
          'GOODS_IO',
          buildSiteLedgerXml({
            messageId: this.messageId('WMS'),
            site: run.destSite,
            records: docs.load.containers.map((c, i) => ({
              direction: 'in' as const,
              container: c.containerNo,
              bill: docs.load.bills[i % docs.load.bills.length]!.billNo,
              reference: docs.preId,
              packages: Math.round(docs.load.packages / docs.load.containers.length),
              weightKg: Math.round(docs.load.weightKg / docs.load.containers.length),
              time: received,
            })),
          }),
        ),
      );
    }
    let closed = received + 2 * MIN;
    if (docs.mishap.inspect) {
      if (docs.mishap.inspectionSilent) return; // no result: INSPECTION_OVERDUE, and no write-off without one
      const result = time + this.rng.float(8, 20) * MIN;
      closed = Math.max(closed, result + 2 * MIN);
      this.later(result, () =>
        this.send(
          'inspection',
          'InspResult',
          buildInspectionResult({ messageId: this.messageId('INS'), sentAt: result, reference: docs.preId, result: 'passed', note: '查验正常' }),
        ),
      );
    }
    if (docs.mishap.notReceived) return; // nothing to write off against
    this.later(closed, () => this.send('transit', 'TrnWriteOff', buildTransitWriteOff({ messageId: this.messageId('TRN'), sentAt: closed, preId: docs.preId })));
  }

  /** Sends what fell due (the demo feed calls this on its clock). */
  step(now: number): void {
    if (this.due.length === 0) return;
    const ready = this.due.filter((d) => d.at <= now).sort((a, b) => a.at - b.at);
    if (ready.length === 0) return;
    this.due = this.due.filter((d) => d.at > now);
    for (const d of ready) void d.what();
  }

  /** Resolves once what was sent has been answered. */
  async idle(): Promise<void> {
    await this.chain;
  }

  /** Sends nothing more; resolves once the message in flight is answered (before the pool closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.due = [];
    await this.chain;
  }

  // --- parts ---

  private gate(truck: Truck, run: TruckRun, direction: 'in' | 'out', time: number): Promise<unknown> {
    const docs = this.runs.get(run);
    if (!docs) return Promise.resolve();
    const misread = direction === 'in' && docs.mishap.gatePlate;
    // A camera that misreads one character, as a held truck at a real gate mostly is.
    const plate = misread ? truck.plate.slice(0, -1) + String((Number(truck.plate.slice(-1)) + 3) % 10) : truck.plate;
    return this.send(
      'gate',
      '81',
      buildGatherInfoXml({
        site: direction === 'out' ? run.originSite : run.destSite,
        channel: `${direction === 'out' ? 'E' : 'I'}-0${this.rng.int(1, 4)}`,
        direction,
        seqNo: this.messageId('GATE'),
        time,
        plate,
        tagPlate: truck.plate,
        containers: docs.load.containers.slice(0, 2).map((c) => c.containerNo),
        eseal: docs.load.containers[0]?.sealNo,
        grossKg: docs.load.weightKg + 15_000,
        vehicleKg: 15_000,
      }),
    );
  }

  /** The run's declaration number, load and fate, decided once. */
  private plan(run: TruckRun): RunDocs {
    const known = this.runs.get(run);
    if (known) return known;
    const origin = this.siteDistrict.get(run.originSite) ?? '0000';
    const preId = `${origin}${new Date(run.departure).getUTCFullYear()}${this.rng.digits(10)}`;
    // The movement is known by its declaration number from now on.
    run.reference = preId;
    const seal = run.seal;
    const fromPort = this.siteKind.get(run.originSite) === 'port_terminal' ? this.manifests.get(run.originSite) : undefined;
    const manifest = fromPort?.length ? this.rng.pick(fromPort) : undefined;
    let load: Load;
    if (manifest) {
      const bill = this.rng.pick(manifest.bills);
      load = {
        bills: [{ billNo: bill.billNo, shipId: `UN${manifest.imo}`, voyageNo: manifest.voyage, containers: bill.containers }],
        containers: bill.containers.map((c, i) => ({ containerNo: c, model: '45G1', sealNo: i === 0 ? seal : `${seal}${i}` })),
        weightKg: 18_000 * bill.containers.length,
        packages: 400 * bill.containers.length,
      };
    } else {
      const containerNo = containerNumber(this.rng.pick(['CSQU', 'TGHU', 'MSCU']), this.rng.int(100000, 999999));
      load = {
        bills: [{ billNo: `TW${origin}${this.rng.digits(8)}`, containers: [containerNo] }],
        containers: [{ containerNo, model: '45G1', sealNo: seal }],
        weightKg: this.rng.int(8, 24) * 1000,
        packages: this.rng.int(50, 800),
      };
    }
    const m = this.mishaps;
    const inspect = this.rng.chance(m.inspect);
    const docs: RunDocs = {
      preId,
      load,
      mishap: {
        gatePlate: this.rng.chance(m.gatePlate),
        notReceived: this.rng.chance(m.notReceived),
        inspect,
        inspectionSilent: inspect && this.rng.chance(m.inspectionSilent),
        noPassport: this.rng.chance(m.noPassport),
      },
    };
    this.runs.set(run, docs);
    return docs;
  }

  private later(at: number, what: () => Promise<unknown>): void {
    this.due.push({ at, what });
  }

  private messageId(kind: string): string {
    return `DEMO-${this.stamp}-${kind}-${String(++this.seq).padStart(6, '0')}`;
  }

  /** Sends one message after those before it; a refusal is reported, never thrown. */
  private send(system: LinkSystemName, type: string, text: string): Promise<unknown> {
    const run = this.chain.then(async () => {
      if (this.stopped) return;
      try {
        await this.links.receive(system, text, DEMO_CALLER);
        this.stats.sent++;
        this.stats.byType[type] = (this.stats.byType[type] ?? 0) + 1;
      } catch (err) {
        this.stats.refused++;
        if (this.stats.refused <= 20) this.opts.say(`demo documents: ${system} ${type} refused: ${(err as Error).message}`);
      }
    });
    this.chain = run;
    return run;
  }
}
