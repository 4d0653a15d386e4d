// Approved truck routes (监管运输路线) of the demo world, drawn by hand along the real expressways
// (approximate: a few hundred metres off in places) and densified so that the simulator has a vertex at
// least every 2 km. Road pieces are shared between routes, so a corridor is drawn once.
import type { LonLat } from '../../../lib/domain';
import type { RouteSeed } from './types';
import { densify } from './shapes';

/** Bridges (and the only places a route may cross water): landfall to landfall, on land at both ends. */
export interface BridgeSeed {
  nameZh: string;
  nameEn: string;
  path: LonLat[];
}

// --- bridges ---
const DONGHAI_BRIDGE: LonLat[] = [
  [122.041, 30.6415],
  [122.032, 30.6525],
  [122.02, 30.668],
  [122.003, 30.7],
  [121.99, 30.74],
  [121.978, 30.78],
  [121.968, 30.82],
  [121.96, 30.855],
  [121.954, 30.878],
];
const HANGZHOU_BAY_BRIDGE: LonLat[] = [
  [121.172, 30.35],
  [121.17, 30.365],
  [121.16, 30.4],
  [121.14, 30.44],
  [121.115, 30.48],
  [121.09, 30.52],
  [121.065, 30.555],
  [121.045, 30.585],
];
const JINTANG_BRIDGE: LonLat[] = [
  [121.852, 30.02],
  [121.8, 30.013],
  [121.74, 30.006],
  [121.672, 29.998],
];
const XIHOUMEN_BRIDGE: LonLat[] = [
  [121.93, 30.072],
  [121.918, 30.063],
  [121.905, 30.052],
];
const TAOYAOMEN_BRIDGE: LonLat[] = [
  [121.966, 30.059],
  [121.953, 30.065],
  [121.94, 30.0715],
];
const XIANGJIAOMEN_BRIDGE: LonLat[] = [
  [121.982, 30.062],
  [121.974, 30.0605],
  [121.966, 30.059],
];

export const BRIDGES: BridgeSeed[] = [
  { nameZh: '东海大桥', nameEn: 'Donghai Bridge', path: DONGHAI_BRIDGE },
  { nameZh: '杭州湾跨海大桥', nameEn: 'Hangzhou Bay Bridge', path: HANGZHOU_BAY_BRIDGE },
  { nameZh: '金塘大桥', nameEn: 'Jintang Bridge', path: JINTANG_BRIDGE },
  { nameZh: '西堠门大桥', nameEn: 'Xihoumen Bridge', path: XIHOUMEN_BRIDGE },
  { nameZh: '桃夭门大桥', nameEn: 'Taoyaomen Bridge', path: TAOYAOMEN_BRIDGE },
  { nameZh: '响礁门大桥', nameEn: 'Xiangjiaomen Bridge', path: XIANGJIAOMEN_BRIDGE },
];

const rev = (p: LonLat[]): LonLat[] => [...p].reverse();
/** The part of `road` from the vertex nearest `from` to the vertex nearest `to` (either direction). */
function part(road: LonLat[], from: LonLat, to: LonLat): LonLat[] {
  const near = (q: LonLat) => {
    let best = 0;
    let bd = Infinity;
    road.forEach((p, i) => {
      const d = (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2;
      if (d < bd) [bd, best] = [d, i];
    });
    if (bd > 1e-8) throw new Error(`route waypoint ${q} is not a vertex of its road`);
    return best;
  };
  const i = near(from);
  const j = near(to);
  return i <= j ? road.slice(i, j + 1) : road.slice(j, i + 1).reverse();
}

// --- Shanghai ---
// Yangshan terminal to the Donghai Bridge head on Xiaoyangshan
const YANGSHAN_ACCESS: LonLat[] = [
  [122.06, 30.6305],
  [122.053, 30.635],
  [122.046, 30.639],
  [122.041, 30.6415],
];
// S2 沪芦高速: Luchaogang (Donghai Bridge) north-west to the S20 outer ring at Kangqiao
const S2: LonLat[] = [
  [121.954, 30.878],
  [121.945, 30.892],
  [121.93, 30.915],
  [121.9, 30.935],
  [121.86, 30.955],
  [121.82, 30.978],
  [121.78, 31.0],
  [121.74, 31.025],
  [121.7, 31.05],
  [121.66, 31.075],
  [121.625, 31.1],
  [121.6, 31.125],
  [121.585, 31.14],
];
// S20 外环高速, east side: Kangqiao north to Waigaoqiao
const S20_EAST: LonLat[] = [
  [121.585, 31.14],
  [121.6, 31.17],
  [121.615, 31.2],
  [121.625, 31.23],
  [121.63, 31.26],
  [121.625, 31.29],
  [121.612, 31.312],
  [121.595, 31.33],
];
// S20, south side: Kangqiao west over the Huangpu (Xupu) to Xinzhuang
const S20_SOUTH: LonLat[] = [
  [121.585, 31.14],
  [121.55, 31.125],
  [121.51, 31.11],
  [121.47, 31.095],
  [121.43, 31.1],
  [121.39, 31.11],
];
// S20, west side: Xinzhuang north to the G2 junction
const S20_WEST: LonLat[] = [
  [121.39, 31.11],
  [121.36, 31.14],
  [121.34, 31.18],
  [121.33, 31.215],
  [121.335, 31.25],
];
// S20, north side: G2 junction north through Baoshan and under the Huangpu at Wusong to Waigaoqiao
const S20_NORTH: LonLat[] = [
  [121.335, 31.25],
  [121.34, 31.265],
  [121.35, 31.29],
  [121.36, 31.32],
  [121.375, 31.345],
  [121.4, 31.36],
  [121.43, 31.368],
  [121.46, 31.375],
  [121.49, 31.378],
  [121.52, 31.372],
  [121.55, 31.362],
  [121.575, 31.352],
];
// G60 沪昆高速: Xinzhuang south-west through Songjiang to Jiaxing
const G60: LonLat[] = [
  [121.39, 31.11],
  [121.34, 31.09],
  [121.29, 31.07],
  [121.24, 31.05],
  [121.2, 31.03],
  [121.15, 31.0],
  [121.07, 30.95],
  [120.98, 30.88],
  [120.9, 30.82],
  [120.83, 30.78],
  [120.79, 30.76],
];
// S32 申嘉湖高速 (with the G1501 ring in Pudong): Lingang west through Fengxian and Jinshan to Jiaxing and Huzhou
const S32: LonLat[] = [
  [121.86, 30.955],
  [121.8, 30.955],
  [121.72, 30.95],
  [121.64, 30.945],
  [121.56, 30.94],
  [121.48, 30.93],
  [121.4, 30.91],
  [121.32, 30.89],
  [121.24, 30.86],
  [121.16, 30.83],
  [121.08, 30.8],
  [121.0, 30.78],
  [120.92, 30.765],
  [120.85, 30.76],
  [120.79, 30.76],
  [120.7, 30.785],
  [120.6, 30.8],
  [120.5, 30.82],
  [120.4, 30.845],
  [120.3, 30.86],
  [120.2, 30.87],
  [120.125, 30.8725],
];

// --- Jiangsu ---
// G2 京沪高速 (沪宁段): the S20 junction at Zhenru west through Anting, Kunshan, Suzhou, Wuxi, Changzhou, Zhenjiang to Nanjing
const G2: LonLat[] = [
  [121.335, 31.25],
  [121.29, 31.27],
  [121.23, 31.285],
  [121.17, 31.3],
  [121.1, 31.32],
  [121.04, 31.35],
  [120.98, 31.375],
  [120.92, 31.385],
  [120.86, 31.385],
  [120.8, 31.38],
  [120.74, 31.375],
  [120.68, 31.375],
  [120.62, 31.385],
  [120.56, 31.405],
  [120.5, 31.43],
  [120.45, 31.47],
  [120.4, 31.51],
  [120.35, 31.56],
  [120.28, 31.61],
  [120.2, 31.66],
  [120.12, 31.71],
  [120.05, 31.76],
  [119.99, 31.8],
  [119.9, 31.84],
  [119.8, 31.89],
  [119.7, 31.94],
  [119.6, 31.99],
  [119.52, 32.04],
  [119.45, 32.09],
  [119.38, 32.12],
  [119.3, 32.12],
  [119.22, 32.11],
  [119.14, 32.1],
  [119.06, 32.09],
  [118.98, 32.07],
  [118.92, 32.05],
];
// Taicang port south-west to Kunshan (太仓港疏港高速 / S? 沪太 corridor)
const TAICANG_KUNSHAN: LonLat[] = [
  [121.222, 31.634],
  [121.21, 31.62],
  [121.18, 31.595],
  [121.14, 31.555],
  [121.1, 31.5],
  [121.06, 31.44],
  [121.03, 31.4],
  [121.0, 31.365],
  [120.99, 31.35],
];
// S38 常嘉高速 / 沿江高速: Taicang port west along the Yangtze to Changshu, then south-west to Wuxi
const TAICANG_WUXI: LonLat[] = [
  [121.222, 31.634],
  [121.2, 31.625],
  [121.15, 31.62],
  [121.08, 31.63],
  [121.0, 31.645],
  [120.92, 31.655],
  [120.84, 31.66],
  [120.76, 31.655],
  [120.68, 31.64],
  [120.6, 31.615],
  [120.53, 31.585],
  [120.47, 31.545],
  [120.44, 31.51],
  [120.43, 31.495],
];

// --- Zhejiang ---
// Beilun port west past the Ningbo Free Trade Zone to Ningbo, then G92 杭甬高速 via Yuyao, Shangyu, Shaoxing, Xiaoshan and
// the G2501 ring over the Qiantang (下沙大桥) to Xiasha
const BEILUN_HANGZHOU: LonLat[] = [
  [121.88, 29.922],
  [121.875, 29.912],
  [121.86, 29.903],
  [121.83, 29.893],
  [121.78, 29.885],
  [121.72, 29.88],
  [121.66, 29.88],
  [121.6, 29.885],
  [121.55, 29.89],
  [121.48, 29.91],
  [121.4, 29.94],
  [121.32, 29.97],
  [121.24, 30.0],
  [121.16, 30.03],
  [121.08, 30.04],
  [121.0, 30.04],
  [120.92, 30.035],
  [120.84, 30.035],
  [120.76, 30.045],
  [120.68, 30.06],
  [120.6, 30.065],
  [120.52, 30.08],
  [120.45, 30.11],
  [120.38, 30.15],
  [120.33, 30.19],
  [120.31, 30.22],
  [120.315, 30.25],
  [120.325, 30.275],
  [120.335, 30.3],
];
// Ningbo north (G1501 Ningbo ring) via Cixi and the Hangzhou Bay Bridge to Haiyan and Jiaxing
const NINGBO_JIAXING: LonLat[] = [
  [121.6, 29.885],
  [121.57, 29.93],
  [121.52, 29.99],
  [121.45, 30.06],
  [121.38, 30.12],
  [121.3, 30.18],
  [121.24, 30.23],
  [121.2, 30.28],
  [121.185, 30.32],
  ...HANGZHOU_BAY_BRIDGE,
  [121.02, 30.62],
  [120.96, 30.66],
  [120.9, 30.7],
  [120.84, 30.73],
  [120.79, 30.745],
  [120.78, 30.74],
];
// Zhoushan Dinghai port west along the island and over the Zhoushan cross-sea bridges (响礁门, 桃夭门, 西堠门, 金塘)
// to Zhenhai, then south-east to the Ningbo Free Trade Zone in Beilun
const ZHOUSHAN_NINGBO: LonLat[] = [
  [122.082, 30.0135],
  [122.065, 30.018],
  [122.045, 30.022],
  [122.02, 30.03],
  [122.0, 30.045],
  [121.988, 30.055],
  ...XIANGJIAOMEN_BRIDGE,
  ...TAOYAOMEN_BRIDGE,
  ...XIHOUMEN_BRIDGE,
  [121.89, 30.044],
  [121.87, 30.033],
  ...JINTANG_BRIDGE,
  [121.7, 29.975],
  [121.74, 29.955],
  [121.78, 29.935],
  [121.81, 29.918],
  [121.84, 29.905],
];
// G25 长深高速: Xiasha north to Huzhou
const XIASHA_HUZHOU: LonLat[] = [
  [120.335, 30.3],
  [120.3, 30.33],
  [120.25, 30.36],
  [120.2, 30.45],
  [120.17, 30.55],
  [120.15, 30.65],
  [120.13, 30.75],
  [120.12, 30.83],
  [120.12, 30.87],
];

// --- Shenzhen ---
// Yantian port west along the 盐排高速 / 深圳北环 and Binhai Avenue to Nanshan and Shekou
const YANTIAN_SHEKOU: LonLat[] = [
  [114.2755, 22.5692],
  [114.268, 22.578],
  [114.255, 22.588],
  [114.235, 22.595],
  [114.21, 22.6],
  [114.18, 22.605],
  [114.15, 22.6],
  [114.12, 22.59],
  [114.09, 22.575],
  [114.06, 22.56],
  [114.03, 22.55],
  [114.0, 22.54],
  [113.97, 22.53],
  [113.94, 22.52],
  [113.92, 22.51],
  [113.895, 22.5],
  [113.8705, 22.49],
];
const TO_FUTIAN: LonLat[] = [
  [114.06, 22.56],
  [114.052, 22.54],
  [114.048, 22.5175],
];
const YANTIAN_PINGHU: LonLat[] = [
  [114.255, 22.588],
  [114.23, 22.61],
  [114.2, 22.64],
  [114.17, 22.66],
  [114.14, 22.675],
  [114.13, 22.68],
];
const SHEKOU_PINGHU: LonLat[] = [
  [113.8705, 22.49],
  [113.895, 22.5],
  [113.92, 22.52],
  [113.94, 22.55],
  [113.98, 22.58],
  [114.02, 22.61],
  [114.06, 22.64],
  [114.1, 22.67],
  [114.13, 22.68],
];

// --- site access stubs ---
const YS_PORT_TO_BRIDGE = YANGSHAN_ACCESS;
const YS_TO_S2 = [...YS_PORT_TO_BRIDGE, ...DONGHAI_BRIDGE]; // ends at the Luchaogang landfall = S2[0]
const LINGANG_CBZ: LonLat[] = [
  [121.945, 30.892],
  [121.925, 30.893],
  [121.91, 30.895],
];
const LCG_INSPECTION: LonLat[] = [
  [121.954, 30.878],
  [121.93, 30.872],
  [121.9, 30.868],
];
const WGQ_PORT_OUT: LonLat[] = [
  [121.6125, 31.3465],
  [121.59, 31.352],
  [121.575, 31.352],
];
const WGQ_PORT_FTZ: LonLat[] = [
  [121.6125, 31.3465],
  [121.603, 31.337],
  [121.595, 31.33],
];
const WGQ_PORT_INSPECTION: LonLat[] = [
  [121.6125, 31.3465],
  [121.62, 31.335],
  [121.625, 31.323],
];
const LUOJING_OUT: LonLat[] = [
  [121.44, 31.441],
  [121.43, 31.43],
  [121.42, 31.4],
  [121.4, 31.36],
];
const SIP_OFF_G2: LonLat[] = [
  [120.8, 31.38],
  [120.795, 31.355],
  [120.785, 31.33],
];
const KUNSHAN_OFF_G2: LonLat[] = [
  [120.98, 31.375],
  [120.99, 31.35],
];
const CHANGZHOU_OFF_G2: LonLat[] = [
  [119.99, 31.8],
  [119.97, 31.835],
];
const LONGTAN_OFF_G2: LonLat[] = [
  [119.06, 32.09],
  [119.045, 32.12],
  [119.03, 32.15],
];
const JIANGNING_OFF_G2: LonLat[] = [
  [118.92, 32.05],
  [118.89, 32.0],
  [118.86, 31.96],
  [118.84, 31.94],
];
const SONGJIANG_OFF_G60: LonLat[] = [
  [121.24, 31.05],
  [121.215, 31.025],
];
const JIAXING_OFF_S32: LonLat[] = [
  [120.79, 30.76],
  [120.78, 30.74],
];
const BEILUN_FTZ: LonLat[] = [
  [121.88, 29.922],
  [121.875, 29.912],
  [121.86, 29.903],
  [121.84, 29.905],
];
const BEILUN_INSPECTION: LonLat[] = [
  [121.88, 29.922],
  [121.875, 29.912],
  [121.86, 29.903],
  [121.83, 29.893],
  [121.8, 29.9],
  [121.79, 29.915],
];
const SHAOXING_OFF_G92: LonLat[] = [
  [120.6, 30.065],
  [120.6, 30.045],
];

const KANGQIAO: LonLat = [121.585, 31.14];
const XINZHUANG: LonLat = [121.39, 31.11];
const G2_JCT: LonLat = [121.335, 31.25];

interface Draft {
  code: string;
  nameZh: string;
  nameEn: string;
  from: string;
  to: string;
  corridorM: number;
  pieces: LonLat[][];
}

const DRAFTS: Draft[] = [
  // Yangshan
  {
    code: 'R01',
    nameZh: '洋山港区—洋山特殊综保区（芦潮港）',
    nameEn: 'Yangshan port – Yangshan bonded zone (Luchaogang)',
    from: '2248-T01',
    to: '2248-B01',
    corridorM: 400,
    pieces: [YS_TO_S2, part(S2, S2[0]!, S2[1]!), LINGANG_CBZ],
  },
  {
    code: 'R02',
    nameZh: '洋山港区—芦潮港集中查验场',
    nameEn: 'Yangshan port – Luchaogang inspection site',
    from: '2248-T01',
    to: '2248-I01',
    corridorM: 400,
    pieces: [YS_TO_S2, LCG_INSPECTION],
  },
  {
    code: 'R03',
    nameZh: '洋山港区—苏州工业园综保区',
    nameEn: 'Yangshan port – Suzhou Industrial Park bonded zone',
    from: '2248-T01',
    to: '2327-B01',
    corridorM: 800,
    pieces: [YS_TO_S2, S2, S20_SOUTH, S20_WEST, part(G2, G2_JCT, [120.8, 31.38]), SIP_OFF_G2],
  },
  {
    code: 'R04',
    nameZh: '洋山港区—嘉兴监管仓库',
    nameEn: 'Yangshan port – Jiaxing warehouse',
    from: '2248-T01',
    to: '2900-W01',
    corridorM: 800,
    pieces: [YS_TO_S2, part(S2, S2[0]!, [121.86, 30.955]), part(S32, [121.86, 30.955], [120.79, 30.76]), JIAXING_OFF_S32],
  },
  {
    code: 'R05',
    nameZh: '洋山港区—外高桥保税区',
    nameEn: 'Yangshan port – Waigaoqiao Free Trade Zone',
    from: '2248-T01',
    to: '2218-B01',
    corridorM: 600,
    pieces: [YS_TO_S2, S2, S20_EAST],
  },
  {
    code: 'R06',
    nameZh: '洋山特殊综保区—松江监管仓库',
    nameEn: 'Yangshan bonded zone – Songjiang warehouse',
    from: '2248-B01',
    to: '2200-W01',
    corridorM: 600,
    pieces: [rev(LINGANG_CBZ), part(S2, [121.945, 30.892], KANGQIAO), S20_SOUTH, part(G60, XINZHUANG, [121.24, 31.05]), SONGJIANG_OFF_G60],
  },
  // Waigaoqiao and Wusong
  {
    code: 'R07',
    nameZh: '外高桥港区—外高桥保税区',
    nameEn: 'Waigaoqiao port – Waigaoqiao Free Trade Zone',
    from: '2218-T01',
    to: '2218-B01',
    corridorM: 300,
    pieces: [WGQ_PORT_FTZ],
  },
  {
    code: 'R08',
    nameZh: '外高桥港区—外高桥集中查验中心',
    nameEn: 'Waigaoqiao port – Waigaoqiao inspection site',
    from: '2218-T01',
    to: '2218-I01',
    corridorM: 300,
    pieces: [WGQ_PORT_INSPECTION],
  },
  {
    code: 'R09',
    nameZh: '外高桥港区—南京综保区（龙潭）',
    nameEn: 'Waigaoqiao port – Nanjing bonded zone (Longtan)',
    from: '2218-T01',
    to: '2300-B01',
    corridorM: 1000,
    pieces: [WGQ_PORT_OUT, rev(S20_NORTH), part(G2, G2_JCT, [119.06, 32.09]), LONGTAN_OFF_G2],
  },
  {
    code: 'R10',
    nameZh: '外高桥港区—昆山综保区',
    nameEn: 'Waigaoqiao port – Kunshan bonded zone',
    from: '2218-T01',
    to: '2305-B01',
    corridorM: 600,
    pieces: [WGQ_PORT_OUT, rev(S20_NORTH), part(G2, G2_JCT, [120.98, 31.375]), KUNSHAN_OFF_G2],
  },
  {
    code: 'R11',
    nameZh: '外高桥保税区—湖州监管仓库',
    nameEn: 'Waigaoqiao Free Trade Zone – Huzhou warehouse',
    from: '2218-B01',
    to: '2900-W03',
    corridorM: 1000,
    pieces: [rev(S20_EAST), S20_SOUTH, G60, part(S32, [120.79, 30.76], [120.125, 30.8725]), [[120.12, 30.87]]],
  },
  {
    code: 'R12',
    nameZh: '宝山罗泾港区—松江监管仓库',
    nameEn: 'Baoshan Luojing port – Songjiang warehouse',
    from: '2200-T01',
    to: '2200-W01',
    corridorM: 500,
    pieces: [LUOJING_OUT, part(S20_NORTH, [121.4, 31.36], G2_JCT), rev(S20_WEST), part(G60, XINZHUANG, [121.24, 31.05]), SONGJIANG_OFF_G60],
  },
  // Taicang, Kunshan, Suzhou, Nanjing
  { code: 'R13', nameZh: '太仓港区—昆山综保区', nameEn: 'Taicang port – Kunshan bonded zone', from: '2322-T01', to: '2305-B01', corridorM: 600, pieces: [TAICANG_KUNSHAN] },
  { code: 'R14', nameZh: '太仓港区—无锡新区监管仓库', nameEn: 'Taicang port – Wuxi warehouse', from: '2322-T01', to: '2300-W01', corridorM: 800, pieces: [TAICANG_WUXI] },
  {
    code: 'R15',
    nameZh: '昆山综保区—苏州工业园综保区',
    nameEn: 'Kunshan bonded zone – Suzhou Industrial Park bonded zone',
    from: '2305-B01',
    to: '2327-B01',
    corridorM: 500,
    pieces: [rev(KUNSHAN_OFF_G2), part(G2, [120.98, 31.375], [120.8, 31.38]), SIP_OFF_G2],
  },
  {
    code: 'R16',
    nameZh: '苏州工业园综保区—常州监管仓库',
    nameEn: 'Suzhou Industrial Park bonded zone – Changzhou warehouse',
    from: '2327-B01',
    to: '2300-W02',
    corridorM: 800,
    pieces: [rev(SIP_OFF_G2), part(G2, [120.8, 31.38], [119.99, 31.8]), CHANGZHOU_OFF_G2],
  },
  {
    code: 'R17',
    nameZh: '南京综保区（龙潭）—南京江宁监管仓库',
    nameEn: 'Nanjing bonded zone (Longtan) – Jiangning warehouse',
    from: '2300-B01',
    to: '2300-W03',
    corridorM: 500,
    pieces: [rev(LONGTAN_OFF_G2), part(G2, [119.06, 32.09], [118.92, 32.05]), JIANGNING_OFF_G2],
  },
  // Ningbo, Zhoushan, Hangzhou
  { code: 'R18', nameZh: '北仑港区—宁波保税区', nameEn: 'Beilun port – Ningbo Free Trade Zone', from: '3104-T01', to: '3104-B01', corridorM: 300, pieces: [BEILUN_FTZ] },
  { code: 'R19', nameZh: '北仑港区—北仑集中查验场', nameEn: 'Beilun port – Beilun inspection site', from: '3104-T01', to: '3104-I01', corridorM: 300, pieces: [BEILUN_INSPECTION] },
  {
    code: 'R20',
    nameZh: '北仑港区—杭州综保区（下沙）',
    nameEn: 'Beilun port – Hangzhou bonded zone (Xiasha)',
    from: '3104-T01',
    to: '2921-B01',
    corridorM: 800,
    pieces: [BEILUN_HANGZHOU],
  },
  {
    code: 'R21',
    nameZh: '北仑港区—嘉兴监管仓库（经杭州湾跨海大桥）',
    nameEn: 'Beilun port – Jiaxing warehouse via the Hangzhou Bay Bridge',
    from: '3104-T01',
    to: '2900-W01',
    corridorM: 800,
    pieces: [part(BEILUN_HANGZHOU, [121.88, 29.922], [121.6, 29.885]), NINGBO_JIAXING],
  },
  {
    code: 'R22',
    nameZh: '北仑港区—绍兴监管仓库',
    nameEn: 'Beilun port – Shaoxing warehouse',
    from: '3104-T01',
    to: '2900-W02',
    corridorM: 800,
    pieces: [part(BEILUN_HANGZHOU, [121.88, 29.922], [120.6, 30.065]), SHAOXING_OFF_G92],
  },
  {
    code: 'R23',
    nameZh: '舟山港区—宁波保税区（经舟山跨海大桥）',
    nameEn: 'Zhoushan port – Ningbo Free Trade Zone via the Zhoushan bridges',
    from: '3100-T01',
    to: '3104-B01',
    corridorM: 500,
    pieces: [ZHOUSHAN_NINGBO],
  },
  {
    code: 'R24',
    nameZh: '杭州综保区（下沙）—湖州监管仓库',
    nameEn: 'Hangzhou bonded zone (Xiasha) – Huzhou warehouse',
    from: '2921-B01',
    to: '2900-W03',
    corridorM: 800,
    pieces: [XIASHA_HUZHOU],
  },
  // Shenzhen
  { code: 'R25', nameZh: '盐田港区—蛇口港区', nameEn: 'Yantian port – Shekou port', from: '5316-T01', to: '5300-T01', corridorM: 400, pieces: [YANTIAN_SHEKOU] },
  {
    code: 'R26',
    nameZh: '盐田港区—福田保税区',
    nameEn: 'Yantian port – Futian Free Trade Zone',
    from: '5316-T01',
    to: '5300-B01',
    corridorM: 400,
    pieces: [part(YANTIAN_SHEKOU, YANTIAN_SHEKOU[0]!, [114.06, 22.56]), TO_FUTIAN],
  },
  {
    code: 'R27',
    nameZh: '盐田港区—平湖物流园监管仓库',
    nameEn: 'Yantian port – Pinghu logistics park warehouse',
    from: '5316-T01',
    to: '5300-W01',
    corridorM: 400,
    pieces: [part(YANTIAN_SHEKOU, YANTIAN_SHEKOU[0]!, [114.255, 22.588]), YANTIAN_PINGHU],
  },
  {
    code: 'R28',
    nameZh: '蛇口港区—平湖物流园监管仓库',
    nameEn: 'Shekou port – Pinghu logistics park warehouse',
    from: '5300-T01',
    to: '5300-W01',
    corridorM: 400,
    pieces: [SHEKOU_PINGHU],
  },
];

// Return legs of two busy corridors ("and back")
const RETURNS: [string, string][] = [
  ['R29', 'R03'],
  ['R30', 'R20'],
];

const MAX_SEGMENT_M = 2000;

function build(d: Draft): RouteSeed {
  return {
    code: d.code,
    nameZh: d.nameZh,
    nameEn: d.nameEn,
    from: d.from,
    to: d.to,
    corridorM: d.corridorM,
    path: densify(d.pieces.flat(), MAX_SEGMENT_M),
    approximate: true,
  };
}

const forward = DRAFTS.map(build);
const returns = RETURNS.map(([code, of]): RouteSeed => {
  const r = forward.find((x) => x.code === of)!;
  const [zh1, zh2] = r.nameZh.split('—');
  const [en1, en2] = r.nameEn.split(' – ');
  return { ...r, code, nameZh: `${zh2}—${zh1}`, nameEn: `${en2} – ${en1}`, from: r.to, to: r.from, path: rev(r.path) };
});

export const ROUTES: RouteSeed[] = [...forward, ...returns];
