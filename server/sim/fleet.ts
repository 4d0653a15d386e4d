// The demo fleet: trucks running supervised transit (转关) consignments along the approved routes,
// and vessels on the port approach lanes. Everything is deterministic for a seed.
//
// A Fleet is plain data. The simulator appends each truck's later runs to `truck.runs` as it goes
// (see Simulator's onRunPlanned); `consignmentsAt(fleet, t)` lists the current run per truck.
import type { LonLat } from '../../lib/domain';
import type { DistrictSeed, RouteSeed, SiteSeed, VesselLaneSeed, World } from './world/types';
import { makePath, nearestOnPath, pointInRing, reversePath, ringCentroid, type Path } from './geometry';
import { Rng, hashSeed } from './random';

// ───────────────────────────── types ─────────────────────────────

export const TRUCK_SCRIPTS = ['deviate', 'stop', 'silent', 'wrongSite', 'late'] as const;
export type TruckScript = (typeof TRUCK_SCRIPTS)[number];

export const VESSEL_SCRIPTS = ['dark', 'rendezvous'] as const;
export type VesselScript = (typeof VESSEL_SCRIPTS)[number];

export const SHIP_TYPES = ['cargo', 'tanker', 'container', 'fishing', 'tug'] as const;
export type ShipType = (typeof SHIP_TYPES)[number];

/** One consignment (监管运输 movement) carried by one truck: one run along its route. */
export interface TruckRun {
  truckId: string;
  /** 0 for the run planned by buildFleet, then 1, 2, … as the simulator plans them. */
  runNo: number;
  /** Customs-like reference, e.g. ZG22002025048213377 (ZG + origin direct-customs code + year + 9 digits). */
  reference: string;
  /** Seal id, e.g. SL4820193375. */
  seal: string;
  routeCode: string;
  /** true: the run goes route.to → route.from (the route's path travelled backwards). */
  reversed: boolean;
  originSite: string;
  destSite: string;
  /** ms since epoch. */
  departure: number;
  /** departure + route length at 50 km/h + slack (max(30 min, 25 %)). */
  deadline: number;
  goods: string;
  carrier: string;
  /** The truck's script, if any; every run of a scripted truck plays it (with fresh timings). */
  script?: TruckScript;
}
/** Alias: the consignment info of one run. */
export type ConsignmentRun = TruckRun;

export interface Truck {
  id: string; // 'T0001'
  assetKey: string; // 'tel:013912345678'
  plate: string; // '沪D·12345'
  terminal: string; // JT/T 808 terminal phone number, 12 digits
  carrier: string;
  /** Direct-customs code of the home district (origin of run 0), e.g. '2200'. */
  homeDistrict: string;
  routeCode: string;
  script?: TruckScript;
  /** Base GPS fix interval (s), 10–30; each fix is jittered around it and kept in [10, 30]. */
  fixIntervalS: number;
  /** GPS noise scale (m, RMS radial), 10–30. */
  gpsNoiseM: number;
  /** Preferred speeds (km/h): expressway, urban, near a site. */
  cruiseKmh: number;
  urbanKmh: number;
  siteKmh: number;
  /** Runs so far: run 0 from buildFleet, later ones appended by the simulator. */
  runs: TruckRun[];
}

export interface Vessel {
  id: string; // 'V001'
  assetKey: string; // 'mmsi:413000001'
  mmsi: string;
  imo?: string; // class A only
  name: string;
  callSign: string;
  cls: 'A' | 'B';
  shipType: ShipType;
  /** Flag state, from the MMSI's MID: CN, HK, SG, LR, PA. */
  flag: string;
  laneCode: string;
  /** Direction at `now` when underway. */
  direction: 'inbound' | 'outbound';
  /** Service speed in knots. */
  cruiseKn: number;
  /** Where it is at `now`. */
  startState: 'underway' | 'anchored' | 'moored';
  /** Fraction of the lane (0 = open sea, 1 = berth) at `now` when underway. */
  startFraction: number;
  script?: VesselScript;
  /** Vessel id of the other one of a rendezvous pair. */
  partner?: string;
}

export interface RendezvousPair {
  a: string; // vessel id (class A cargo ship)
  b: string; // vessel id (fishing boat)
  laneCode: string;
}

export interface Fleet {
  seed: number;
  now: number;
  trucks: Truck[];
  vessels: Vessel[];
  rendezvous: RendezvousPair[];
}

export interface BuildFleetOptions {
  trucks: number;
  vessels: number;
  seed: number;
  now: number;
  /** How many trucks get a script (cycled deviate, stop, silent, wrongSite, late).
   *  Default: max(min(5, trucks), round(2.5 % of trucks)). */
  scriptedTrucks?: number;
  /** How many vessels go dark. Default max(1, round(2 % of vessels)) when there are ≥ 3 vessels. */
  darkVessels?: number;
  /** How many rendezvous pairs. Default 1 per 150 vessels (at least 1 when there are ≥ 2 vessels). */
  rendezvousPairs?: number;
}

// ───────────────────────────── world index ─────────────────────────────

export interface RouteInfo {
  seed: RouteSeed;
  fwd: Path;
  rev: Path;
}
export interface SiteInfo {
  seed: SiteSeed;
  centroid: LonLat;
}
export interface LaneInfo {
  seed: VesselLaneSeed;
  path: Path;
}
export interface WorldIndex {
  world: World;
  routes: Map<string, RouteInfo>;
  sites: Map<string, SiteInfo>;
  lanes: Map<string, LaneInfo>;
  districts: Map<string, DistrictSeed>;
}

const indexCache = new WeakMap<World, WorldIndex>();

/** Measured routes and lanes, sites by code (cached per World object). */
export function indexWorld(world: World): WorldIndex {
  const hit = indexCache.get(world);
  if (hit) return hit;
  const routes = new Map<string, RouteInfo>();
  for (const r of world.routes) {
    const fwd = makePath(r.path);
    routes.set(r.code, { seed: r, fwd, rev: reversePath(fwd) });
  }
  const sites = new Map<string, SiteInfo>();
  for (const s of world.sites) sites.set(s.code, { seed: s, centroid: ringCentroid(s.area) });
  const lanes = new Map<string, LaneInfo>();
  for (const l of world.lanes) lanes.set(l.code, { seed: l, path: makePath(l.path) });
  const districts = new Map<string, DistrictSeed>();
  for (const d of world.districts) districts.set(d.code, d);
  const idx = { world, routes, sites, lanes, districts };
  indexCache.set(world, idx);
  return idx;
}

/**
 * What in a world would make the simulation misleading: a route that does not start inside its
 * origin site or end inside its destination (trucks then wait and dwell outside a site and look like
 * unscheduled stops), an approach lane that ends more than 1 km from its port site (the simulator moors
 * vessels just inside the terminal at the end of a short final leg). Empty when all is well.
 */
export function checkWorld(world: World): string[] {
  const idx = indexWorld(world);
  const out: string[] = [];
  const inside = (code: string, p: LonLat) => {
    const s = idx.sites.get(code);
    return !!s && pointInRing(p, s.seed.area);
  };
  for (const r of world.routes) {
    if (!idx.sites.has(r.from) || !idx.sites.has(r.to)) out.push(`route ${r.code}: unknown site ${!idx.sites.has(r.from) ? r.from : r.to}`);
    else {
      const [first, last] = [r.path[0], r.path[r.path.length - 1]];
      if (!first || !inside(r.from, first)) out.push(`route ${r.code}: does not start inside ${r.from}`);
      if (!last || !inside(r.to, last)) out.push(`route ${r.code}: does not end inside ${r.to}`);
    }
  }
  for (const l of world.lanes) {
    const port = idx.sites.get(l.port);
    const end = l.path[l.path.length - 1];
    if (!port) out.push(`lane ${l.code}: unknown port site ${l.port}`);
    else if (!end) out.push(`lane ${l.code}: no path`);
    else if ((l.kind ?? 'approach') === 'approach' && !inside(l.port, end)) {
      // the simulator moors vessels on a short final leg into the terminal; it must be short
      const d = nearestOnPath(makePath(port.seed.area), end).distance;
      if (d > 1000) out.push(`lane ${l.code}: ends ${Math.round(d)} m from ${l.port}`);
    }
  }
  return out;
}

// ───────────────────────────── speeds ─────────────────────────────

/** Within this distance of a site (start, end or a visited site) a truck drives at its site speed. */
export const SITE_ZONE_M = 800;
/** Urban roads: up to this far from the ends (and at most 30 % of the run from each end). */
export const URBAN_ZONE_M = 8000;

export const urbanZoneM = (lengthM: number): number => Math.max(SITE_ZONE_M, Math.min(URBAN_ZONE_M, 0.3 * lengthM));

/** Duration of a run of `lengthM` at the truck's preferred speeds, without traffic (ms). */
export function truckNominalDurationMs(t: Pick<Truck, 'cruiseKmh' | 'urbanKmh' | 'siteKmh'>, lengthM: number): number {
  const half = lengthM / 2;
  const site = Math.min(SITE_ZONE_M, half);
  const urbanEnd = Math.min(urbanZoneM(lengthM), half);
  const siteLen = 2 * site;
  const urbanLen = 2 * (urbanEnd - site);
  const expressLen = Math.max(0, lengthM - 2 * urbanEnd);
  const h = siteLen / t.siteKmh + urbanLen / t.urbanKmh + expressLen / t.cruiseKmh; // km/h with m → ms below
  return (h / 1000) * 3_600_000 + 60_000; // + a minute of starting and stopping
}

/** The deadline rule: departure + length at 50 km/h + max(30 min, 25 % of that). */
export function deadlineFor(departure: number, lengthM: number): number {
  const nominal = (lengthM / 1000 / 50) * 3_600_000;
  return Math.round(departure + nominal + Math.max(30 * 60_000, 0.25 * nominal));
}

// ───────────────────────────── names and numbers ─────────────────────────────

type PlateArea = { prov: string; cities: Array<[letter: string, city: string]> };

/** Shanghai's plates: also those of a customs district without an entry below. */
const SHANGHAI_PLATES: PlateArea = {
  prov: '沪',
  cities: [
    ['A', '上海'],
    ['B', '上海'],
    ['C', '上海'],
    ['D', '上海'],
    ['E', '上海'],
    ['F', '上海'],
    ['G', '上海'],
    ['H', '上海'],
    ['J', '上海'],
    ['K', '上海'],
    ['L', '上海'],
    ['M', '上海'],
    ['N', '上海'],
  ],
};

/** Plate prefixes by direct-customs code (first two digits). */
const PLATE_BY_CUSTOMS: Record<string, PlateArea> = {
  '01': {
    prov: '京',
    cities: [
      ['A', '北京'],
      ['C', '北京'],
      ['E', '北京'],
      ['Q', '北京'],
    ],
  },
  '02': {
    prov: '津',
    cities: [
      ['A', '天津'],
      ['B', '天津'],
      ['C', '天津'],
      ['E', '天津'],
    ],
  },
  '04': {
    prov: '冀',
    cities: [
      ['A', '石家庄'],
      ['B', '唐山'],
    ],
  },
  '05': { prov: '晋', cities: [['A', '太原']] },
  '06': { prov: '蒙', cities: [['E', '满洲里']] },
  '07': {
    prov: '蒙',
    cities: [
      ['A', '呼和浩特'],
      ['B', '包头'],
    ],
  },
  '08': { prov: '辽', cities: [['A', '沈阳']] },
  '09': { prov: '辽', cities: [['B', '大连']] },
  '15': {
    prov: '吉',
    cities: [
      ['A', '长春'],
      ['H', '珲春'],
    ],
  },
  '19': {
    prov: '黑',
    cities: [
      ['A', '哈尔滨'],
      ['C', '绥芬河'],
    ],
  },
  '22': SHANGHAI_PLATES,
  '23': {
    prov: '苏',
    cities: [
      ['A', '南京'],
      ['E', '苏州'],
      ['B', '无锡'],
      ['D', '常州'],
      ['F', '南通'],
    ],
  },
  '29': {
    prov: '浙',
    cities: [
      ['A', '杭州'],
      ['F', '嘉兴'],
      ['E', '湖州'],
      ['G', '金华'],
    ],
  },
  '31': {
    prov: '浙',
    cities: [
      ['B', '宁波'],
      ['L', '舟山'],
    ],
  },
  '33': {
    prov: '皖',
    cities: [
      ['A', '合肥'],
      ['B', '芜湖'],
    ],
  },
  '35': { prov: '闽', cities: [['A', '福州']] },
  '37': {
    prov: '闽',
    cities: [
      ['D', '厦门'],
      ['C', '泉州'],
    ],
  },
  '40': { prov: '赣', cities: [['A', '南昌']] },
  '42': {
    prov: '鲁',
    cities: [
      ['B', '青岛'],
      ['F', '烟台'],
      ['K', '威海'],
    ],
  },
  '43': { prov: '鲁', cities: [['A', '济南']] },
  '46': { prov: '豫', cities: [['A', '郑州']] },
  '47': { prov: '鄂', cities: [['A', '武汉']] },
  '49': { prov: '湘', cities: [['A', '长沙']] },
  '51': { prov: '粤', cities: [['A', '广州']] },
  '52': {
    prov: '粤',
    cities: [
      ['A', '广州'],
      ['S', '东莞'],
    ],
  },
  '53': { prov: '粤', cities: [['B', '深圳']] },
  '57': { prov: '粤', cities: [['C', '珠海']] },
  '60': { prov: '粤', cities: [['D', '汕头']] },
  '64': { prov: '琼', cities: [['A', '海口']] },
  '67': { prov: '粤', cities: [['G', '湛江']] },
  '68': { prov: '粤', cities: [['J', '江门']] },
  '72': {
    prov: '桂',
    cities: [
      ['A', '南宁'],
      ['P', '防城港'],
    ],
  },
  '79': { prov: '川', cities: [['A', '成都']] },
  '80': {
    prov: '渝',
    cities: [
      ['A', '重庆'],
      ['B', '重庆'],
    ],
  },
  '83': { prov: '贵', cities: [['A', '贵阳']] },
  '86': { prov: '云', cities: [['A', '昆明']] },
  '88': { prov: '藏', cities: [['A', '拉萨']] },
  '90': { prov: '陕', cities: [['A', '西安']] },
  '94': { prov: '新', cities: [['A', '乌鲁木齐']] },
  '95': { prov: '甘', cities: [['A', '兰州']] },
  '96': { prov: '宁', cities: [['A', '银川']] },
  '97': { prov: '青', cities: [['A', '西宁']] },
};

/** Offices whose trucks carry a specific city's plates (matched on the office's Chinese name). */
const PLATE_BY_NAME: Array<[RegExp, string, [string, string]]> = [
  [/苏州|昆山|太仓|张家港|常熟/, '苏', ['E', '苏州']],
  [/无锡|江阴/, '苏', ['B', '无锡']],
  [/南通/, '苏', ['F', '南通']],
  [/北仑|宁波|梅山/, '浙', ['B', '宁波']],
  [/舟山/, '浙', ['L', '舟山']],
  [/嘉兴|乍浦/, '浙', ['F', '嘉兴']],
  [/义乌|金华/, '浙', ['G', '金华']],
  [/盐田|蛇口|深圳|皇岗|文锦渡/, '粤', ['B', '深圳']],
];

const CARRIER_BRANDS = [
  '远通',
  '顺达',
  '恒运',
  '海联',
  '通达',
  '安泰',
  '华运',
  '捷程',
  '宏远',
  '东方',
  '鸿基',
  '联盛',
  '嘉诚',
  '泰丰',
  '锦程',
  '永盛',
  '中联',
  '振华',
  '佳运',
  '瑞通',
];
const CARRIER_SUFFIXES = ['国际物流有限公司', '运输有限公司', '供应链管理有限公司', '集装箱运输有限公司', '冷链物流有限公司', '货运代理有限公司', '物流股份有限公司'];
export const GOODS = [
  '电子元器件',
  '集成电路',
  '冷冻海产品',
  '冷冻牛肉',
  '汽车零部件',
  '纺织品',
  '服装鞋帽',
  '机电设备',
  '医疗器械',
  '塑料颗粒',
  '钢材',
  '家具',
  '新鲜水果',
  '葡萄酒',
  '婴幼儿奶粉',
  '化妆品',
  '锂电池',
  '光伏组件',
  '纸浆',
  '铜精矿',
  '棉纱',
  '玩具',
  '日用百货',
  '精密仪器',
  '数控机床',
  '液晶面板',
];

const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I, O

const SHIP_WORDS_A = [
  'ORIENT',
  'PACIFIC',
  'GOLDEN',
  'EASTERN',
  'JADE',
  'SILVER',
  'NORTHERN',
  'OCEAN',
  'GRAND',
  'BRIGHT',
  'LUCKY',
  'STAR',
  'ROYAL',
  'CELESTIAL',
  'SOUTHERN',
  'AURORA',
  'CORAL',
  'EVERGREEN',
  'GREAT',
  'NEW',
];
const SHIP_WORDS_B = [
  'HARMONY',
  'PIONEER',
  'SPIRIT',
  'GLORY',
  'FORTUNE',
  'PEARL',
  'DRAGON',
  'PHOENIX',
  'VENTURE',
  'TRADER',
  'EXPRESS',
  'HORIZON',
  'BRIDGE',
  'CROWN',
  'WIND',
  'PROSPERITY',
  'VOYAGER',
  'MERIDIAN',
  'ENDEAVOUR',
  'BREEZE',
];
const PINYIN_NAMES = [
  'ZHONG GU',
  'XIN HAI',
  'HUA HANG',
  'MIN HAI',
  'JIN HAI',
  'HAI FENG',
  'CHANG HANG',
  'ZHONG YUAN',
  'NING HUA',
  'HU HAI',
  'XIN MING ZHOU',
  'DONG FANG',
  'HAI YANG',
  'YU HAI',
];
const FISHING_PREFIXES = ['ZHE DAI YU', 'ZHE LING YU', 'MIN SHI YU', 'LU RONG YU', 'SU LIAN YU', 'HU PU YU', 'YUE DIAN YU'];
const TUG_PREFIXES = ['HU GANG TUO', 'NING GANG TUO', 'YAN GANG TUO', 'SU GANG TUO'];

type FlagDef = { flag: string; mids: string[]; call: (r: Rng) => string };
const letters = (r: Rng, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[r.int(0, 25)];
  return s;
};
const FLAGS = {
  CN: { flag: 'CN', mids: ['412', '413', '414'], call: (r) => 'B' + letters(r, 3) + r.int(2, 9) },
  HK: { flag: 'HK', mids: ['477'], call: (r) => 'VR' + letters(r, 2) + r.int(2, 9) },
  SG: { flag: 'SG', mids: ['563'], call: (r) => '9V' + r.digits(4) },
  LR: { flag: 'LR', mids: ['636'], call: (r) => 'A8' + letters(r, 2) + r.int(2, 9) },
  PA: { flag: 'PA', mids: ['353'], call: (r) => '3E' + letters(r, 2) + r.int(2, 9) },
} satisfies Record<string, FlagDef>;

/** A 7-digit IMO number with a valid check digit. */
function imoNumber(r: Rng): string {
  const body = String(r.int(9, 9)) + r.digits(5); // 9xxxxx: ships built since the 1990s
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(body[i]) * (7 - i);
  return body + (sum % 10);
}

/** A bijection on [0, 10^n) keyed by the seed (an invertible hash on 2^k, cycle-walked): unique, random-looking serials. */
function scramble(x: number, n: number, seed: number): string {
  const mod = 10n ** BigInt(n);
  let k = 1n;
  while (1n << k < mod) k++;
  const mask = (1n << k) - 1n;
  const half = k / 2n;
  const third = k / 3n;
  const c1 = BigInt(hashSeed(seed, n, 1)) & mask;
  const c2 = BigInt(hashSeed(seed, n, 2)) & mask;
  const m1 = (BigInt(hashSeed(seed, n, 3)) | 1n) & mask;
  const m2 = (BigInt(hashSeed(seed, n, 4)) | 1n) & mask;
  const perm = (v: bigint) => {
    v = (v + c1) & mask;
    v ^= v >> half;
    v = (v * m1) & mask;
    v ^= v >> third;
    v = (v + c2) & mask;
    v = (v * m2) & mask;
    v ^= v >> half;
    return v;
  };
  let y = perm(BigInt(x) % mod);
  while (y >= mod) y = perm(y);
  return y.toString().padStart(n, '0');
}

/** Direct-customs code (level 'direct') above a district, or the district itself. */
function directCustoms(districts: Map<string, DistrictSeed>, code: string): string {
  let d = districts.get(code);
  for (let i = 0; d && d.level === 'office' && d.parent && i < 5; i++) {
    const p = districts.get(d.parent);
    if (!p) break;
    d = p;
  }
  if (d && d.level === 'direct') return d.code;
  return code.length === 4 ? code.slice(0, 2) + '00' : '2200';
}

function plateArea(idx: WorldIndex, siteCode: string): { prov: string; cities: Array<[string, string]>; direct: string } {
  const site = idx.sites.get(siteCode);
  const districtCode = site?.seed.district ?? '2200';
  const direct = directCustoms(idx.districts, districtCode);
  const office = idx.districts.get(districtCode);
  if (office) {
    for (const [re, prov, city] of PLATE_BY_NAME) if (re.test(office.nameZh)) return { prov, cities: [city], direct };
  }
  const a = PLATE_BY_CUSTOMS[direct.slice(0, 2)] ?? SHANGHAI_PLATES;
  return { ...a, direct };
}

// ───────────────────────────── runs ─────────────────────────────

/** The year in China (UTC+8) of a time. */
const chinaYear = (t: number) => new Date(t + 8 * 3_600_000).getUTCFullYear();

/**
 * Plans run `runNo` of a truck (pure: the same inputs give the same run).
 * The reference and seal are unique per (truck, run) for a seed.
 */
export function planRun(world: World, fleetSeed: number, truck: Truck, runNo: number, departure: number, reversed: boolean): TruckRun {
  const idx = indexWorld(world);
  const route = idx.routes.get(truck.routeCode);
  if (!route) throw new Error(`planRun: no route ${truck.routeCode}`);
  const r = new Rng(hashSeed(fleetSeed, 0x52554e, Number(truck.id.slice(1)), runNo));
  const originSite = reversed ? route.seed.to : route.seed.from;
  const destSite = reversed ? route.seed.from : route.seed.to;
  const direct = plateArea(idx, originSite).direct;
  const serial = Number(truck.id.slice(1)) * 10000 + (runNo % 10000);
  departure = Math.round(departure);
  return {
    truckId: truck.id,
    runNo,
    reference: `ZG${direct}${chinaYear(departure)}${scramble(serial, 9, fleetSeed)}`,
    seal: `SL${scramble(serial, 10, fleetSeed ^ 0x5ea1)}`,
    routeCode: route.seed.code,
    reversed,
    originSite,
    destSite,
    departure,
    deadline: deadlineFor(departure, route.fwd.length),
    goods: r.pick(GOODS),
    carrier: truck.carrier,
    ...(truck.script ? { script: truck.script } : {}),
  };
}

/**
 * Each truck's latest run (the one it is on, or the next one it waits for: the simulator appends the
 * next run when the truck arrives), as 'planned' (departure after t) or 'in_transit'.
 * Whether it has arrived is the simulator's (and the geofence's) business.
 */
export function consignmentsAt(fleet: Fleet, t: number): Array<{ truck: Truck; run: TruckRun; status: 'planned' | 'in_transit' }> {
  const out: Array<{ truck: Truck; run: TruckRun; status: 'planned' | 'in_transit' }> = [];
  for (const truck of fleet.trucks) {
    const run = truck.runs[truck.runs.length - 1];
    if (run) out.push({ truck, run, status: run.departure > t ? 'planned' : 'in_transit' });
  }
  return out;
}

// ───────────────────────────── buildFleet ─────────────────────────────

export function buildFleet(world: World, opts: BuildFleetOptions): Fleet {
  const idx = indexWorld(world);
  const rng = new Rng(hashSeed(opts.seed, 0xf1ee7));
  const trucks = opts.trucks > 0 && world.routes.length > 0 ? buildTrucks(world, idx, rng, opts) : [];
  const { vessels, pairs } = opts.vessels > 0 && world.lanes.length > 0 ? buildVessels(idx, new Rng(hashSeed(opts.seed, 0x5e55e1)), opts) : { vessels: [], pairs: [] };
  return { seed: opts.seed, now: opts.now, trucks, vessels, rendezvous: pairs };
}

function buildTrucks(world: World, idx: WorldIndex, rng: Rng, opts: BuildFleetOptions): Truck[] {
  const n = opts.trucks;
  const nScripted = Math.min(n, opts.scriptedTrucks ?? Math.max(Math.min(5, n), Math.round(0.025 * n)));
  const order = rng.shuffle([...Array(n).keys()]);
  const scriptOf = new Map<number, TruckScript>();
  for (let k = 0; k < nScripted; k++) scriptOf.set(order[k]!, TRUCK_SCRIPTS[k % TRUCK_SCRIPTS.length]!); // nScripted <= n = order.length

  const routeOrder = rng.shuffle(world.routes.map((r) => r.code));
  const plates = new Set<string>();
  const terminals = new Set<string>();
  const carriers = new Map<string, string[]>();
  const trucks: Truck[] = [];

  for (let i = 0; i < n; i++) {
    const r = new Rng(hashSeed(opts.seed, 0x7e0c, i));
    const routeCode = routeOrder[i % routeOrder.length]!; // checkWorld: the world has routes
    const route = idx.routes.get(routeCode)!;
    const reversed = r.chance(0.5);
    const origin = reversed ? route.seed.to : route.seed.from;
    const area = plateArea(idx, origin);
    const [letter, city] = r.pick(area.cities);

    let plate = '';
    do {
      let tail = '';
      const nLetters = r.chance(0.55) ? 0 : r.int(1, 2);
      const pos = new Set<number>();
      while (pos.size < nLetters) pos.add(r.int(0, 4));
      for (let k = 0; k < 5; k++) tail += pos.has(k) ? PLATE_LETTERS[r.int(0, PLATE_LETTERS.length - 1)] : String(r.int(0, 9));
      plate = `${area.prov}${letter}·${tail}`;
    } while (plates.has(plate));
    plates.add(plate);

    let terminal = '';
    do terminal = '0' + r.pick(['13', '15', '18', '17', '19']) + r.digits(9);
    while (terminals.has(terminal));
    terminals.add(terminal);

    let pool = carriers.get(city);
    if (!pool) {
      const cr = new Rng(hashSeed(opts.seed, 0xca, city.charCodeAt(0), city.length));
      const brands = cr.shuffle([...CARRIER_BRANDS]).slice(0, 4);
      pool = brands.map((b) => `${city}${b}${cr.pick(CARRIER_SUFFIXES)}`);
      carriers.set(city, pool);
    }

    const script = scriptOf.get(i);
    const truck: Truck = {
      id: `T${String(i + 1).padStart(4, '0')}`,
      assetKey: `tel:${terminal}`,
      plate,
      terminal,
      carrier: r.pick(pool),
      homeDistrict: area.direct,
      routeCode,
      ...(script ? { script } : {}),
      fixIntervalS: Math.round(r.float(12, 28)),
      gpsNoiseM: Math.round(r.float(10, 30)),
      cruiseKmh: Math.round(r.float(72, 96)),
      urbanKmh: Math.round(r.float(32, 48)),
      siteKmh: Math.round(r.float(15, 25)),
      runs: [],
    };
    // Stagger departures so that at `now` trucks are spread along their routes; about a fifth have not left yet.
    // Scripted trucks leave between 5 min before and 10 min after `now`, so that their episode lies ahead.
    const dur = truckNominalDurationMs(truck, route.fwd.length);
    const departure = script ? opts.now + r.float(-5, 10) * 60_000 : opts.now - r.float(-0.25, 0.95) * dur;
    truck.runs.push(planRun(world, opts.seed, truck, 0, departure, reversed));
    trucks.push(truck);
  }
  return trucks;
}

function buildVessels(idx: WorldIndex, rng: Rng, opts: BuildFleetOptions): { vessels: Vessel[]; pairs: RendezvousPair[] } {
  const n = opts.vessels;
  const laneCodes = rng.shuffle([...idx.lanes.keys()]);
  const mmsis = new Set<string>();
  const names = new Set<string>();
  const imos = new Set<string>();
  const vessels: Vessel[] = [];

  const typeOf = (x: number): ShipType => (x < 0.35 ? 'container' : x < 0.6 ? 'cargo' : x < 0.72 ? 'tanker' : x < 0.9 ? 'fishing' : 'tug');

  for (let i = 0; i < n; i++) {
    const r = new Rng(hashSeed(opts.seed, 0x5b1b, i));
    const shipType = typeOf(r.next());
    const cls: 'A' | 'B' = shipType === 'fishing' ? (r.chance(0.7) ? 'B' : 'A') : shipType === 'tug' ? (r.chance(0.2) ? 'B' : 'A') : 'A';
    const foreign = (shipType === 'container' || shipType === 'cargo' || shipType === 'tanker') && r.chance(0.35);
    const flagDef = FLAGS[foreign ? r.pick(['HK', 'SG', 'LR', 'PA'] as const) : 'CN'];
    vessels.push(makeVessel(r, i, shipType, cls, flagDef, laneCodes[i % laneCodes.length]!, { mmsis, names, imos })); // checkWorld: the world has lanes
  }
  const kindOf = (code: string) => idx.lanes.get(code)!.seed.kind ?? 'approach';
  for (const v of vessels) {
    // anchorage circuits hold anchored ships; transit lanes ships passing through
    if (kindOf(v.laneCode) === 'anchorage') v.startState = 'anchored';
    else if (kindOf(v.laneCode) === 'transit') v.startState = 'underway';
  }
  // lanes for scripted vessels: a rendezvous on an approach lane of ≥ 20 km (met 40–70 % along it, far
  // from the port), a dark vessel on an approach or transit lane
  const byLength = (codes: string[]) => codes.sort((x, y) => idx.lanes.get(y)!.path.length - idx.lanes.get(x)!.path.length);
  const approach = byLength(laneCodes.filter((c) => kindOf(c) === 'approach'));
  const longApproach = approach.filter((c) => idx.lanes.get(c)!.path.length >= 20_000);
  const pairLanes = longApproach.length ? longApproach : approach.length ? approach : byLength(laneCodes.filter((c) => kindOf(c) !== 'anchorage'));
  const darkLanes = laneCodes.filter((c) => kindOf(c) !== 'anchorage');

  // Scripts: rendezvous pairs first (a class A cargo ship and a fishing boat on one lane), then dark vessels.
  const order = rng.shuffle([...Array(n).keys()]);
  let o = 0;
  const pairs: RendezvousPair[] = [];
  const nPairs = Math.min(Math.floor(n / 2), opts.rendezvousPairs ?? (n >= 2 ? Math.max(1, Math.floor(n / 150)) : 0));
  for (let p = 0; p < nPairs; p++) {
    const ia = order[o++]!; // nPairs <= n / 2
    const ib = order[o++]!;
    const pr = new Rng(hashSeed(opts.seed, 0x9a1, p));
    const lane = pairLanes[p % pairLanes.length] ?? vessels[ia]!.laneCode;
    const a = makeVessel(pr, ia, 'cargo', 'A', FLAGS[pr.pick(['CN', 'HK', 'PA'] as const)], lane, { mmsis, names, imos });
    const b = makeVessel(pr, ib, 'fishing', 'B', FLAGS.CN, lane, { mmsis, names, imos });
    a.script = 'rendezvous';
    b.script = 'rendezvous';
    a.partner = b.id;
    b.partner = a.id;
    a.startState = 'underway';
    b.startState = 'underway';
    vessels[ia] = a;
    vessels[ib] = b;
    pairs.push({ a: a.id, b: b.id, laneCode: a.laneCode });
  }
  const nDark = Math.min(n - o, opts.darkVessels ?? (n >= 3 ? Math.max(1, Math.round(0.02 * n)) : 0));
  for (let k = 0; k < nDark; k++) {
    const v = vessels[order[o++]!]!; // nDark <= n - o
    v.script = 'dark';
    if (darkLanes.length && kindOf(v.laneCode) === 'anchorage') v.laneCode = darkLanes[k % darkLanes.length]!;
    v.startState = 'underway';
    v.direction = 'inbound';
    v.startFraction = Math.min(v.startFraction, 0.3);
  }
  return { vessels, pairs };
}

function makeVessel(
  r: Rng,
  i: number,
  shipType: ShipType,
  cls: 'A' | 'B',
  flagDef: FlagDef,
  laneCode: string,
  used: { mmsis: Set<string>; names: Set<string>; imos: Set<string> },
): Vessel {
  let mmsi = '';
  do mmsi = r.pick(flagDef.mids) + r.digits(6);
  while (used.mmsis.has(mmsi));
  used.mmsis.add(mmsi);

  let name = '';
  do {
    if (shipType === 'fishing') name = `${r.pick(FISHING_PREFIXES)} ${r.digits(5)}`;
    else if (shipType === 'tug') name = `${r.pick(TUG_PREFIXES)} ${r.int(1, 39)}`;
    else if (flagDef.flag === 'CN' && r.chance(0.4)) name = `${r.pick(PINYIN_NAMES)} ${r.int(1, 99)}`;
    else name = `${r.pick(SHIP_WORDS_A)} ${r.pick(SHIP_WORDS_B)}${r.chance(0.4) ? ' ' + r.int(1, 9) : ''}`;
  } while (used.names.has(name));
  used.names.add(name);

  let imo: string | undefined;
  if (cls === 'A') {
    do imo = imoNumber(r);
    while (used.imos.has(imo));
    used.imos.add(imo);
  }

  const cruiseKn =
    shipType === 'container'
      ? r.float(12, 18)
      : shipType === 'cargo'
        ? r.float(10, 14)
        : shipType === 'tanker'
          ? r.float(9, 13)
          : shipType === 'fishing'
            ? r.float(3, 8)
            : r.float(6, 11);
  const x = r.next();
  const startState: Vessel['startState'] = x < 0.15 ? 'anchored' : x < 0.25 ? 'moored' : 'underway';
  return {
    id: `V${String(i + 1).padStart(3, '0')}`,
    assetKey: `mmsi:${mmsi}`,
    mmsi,
    ...(imo ? { imo } : {}),
    name,
    callSign: flagDef.call(r),
    cls,
    shipType,
    flag: flagDef.flag,
    laneCode,
    direction: r.chance(0.5) ? 'inbound' : 'outbound',
    cruiseKn: Math.round(cruiseKn * 10) / 10,
    startState,
    startFraction: Math.round(r.float(0.02, 0.95) * 1000) / 1000,
  };
}
