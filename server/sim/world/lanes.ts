// Vessel lanes of the demo world: approaches from open sea to each port terminal's berth along the
// real channels as far as the offline coastline allows (approximate), plus coastal transit routes and
// anchorage circuits so that passing traffic can be seen too. Every vertex and segment stays at sea on
// geo/coast-china-1m.geojson (© OpenStreetMap contributors), except an approach's final berth point,
// which lies in the water just off its terminal (see world.test.ts).
import type { LonLat } from '../../../lib/domain';
import type { VesselLaneSeed } from './types';

const lane = (code: string, nameZh: string, nameEn: string, port: string, path: LonLat[], kind: VesselLaneSeed['kind'] = 'approach'): VesselLaneSeed => ({
  code,
  nameZh,
  nameEn,
  port,
  path,
  approximate: true,
  kind,
});

// Shared channel pieces
// 长江口深水航道 (North Passage) and 南港 (South Channel) up to Waigaoqiao
const YANGTZE_DEEPWATER: LonLat[] = [
  [122.6, 31.06],
  [122.4, 31.12],
  [122.2, 31.2],
  [122.0, 31.253],
  [121.9, 31.279],
  [121.804, 31.304],
  [121.7, 31.335],
];
// 虾峙门 deep-water entrance from the East China Sea into the Ningbo–Zhoushan anchorages
const XIAZHIMEN: LonLat[] = [
  [122.6, 29.68],
  [122.45, 29.725],
  [122.304, 29.769],
  [122.266, 29.789],
  [122.201, 29.844],
];

export const LANES: VesselLaneSeed[] = [
  // --- Yangshan ---
  lane('L01', '洋山港区西南进港航道', 'Yangshan port, south-west approach', '2248-T01', [
    [122.42, 30.36],
    [122.25, 30.4],
    [122.12, 30.5],
    [122.045, 30.585],
    [122.053, 30.617],
    [122.0588, 30.6225],
  ]),
  lane('L02', '洋山港区东进港航道', 'Yangshan port, east approach (main channel)', '2248-T01', [
    [122.55, 30.62],
    [122.41, 30.61],
    [122.27, 30.6],
    [122.1368, 30.5903],
    [122.1248, 30.5823],
    [122.0888, 30.6003],
    [122.0768, 30.6103],
  ]),
  // --- Yangtze estuary ---
  lane('L03', '长江口深水航道—外高桥港区', 'Yangtze estuary deep-water channel to Waigaoqiao', '2218-T01', [...YANGTZE_DEEPWATER, [121.655, 31.348], [121.6205, 31.3518]]),
  lane('L04', '长江口深水航道—宝山罗泾港区', 'Yangtze estuary deep-water channel to Baoshan Luojing', '2200-T01', [
    ...YANGTZE_DEEPWATER,
    [121.64, 31.36],
    [121.58, 31.385],
    [121.52, 31.405],
    [121.49, 31.422],
    [121.4445, 31.4448],
  ]),
  lane('L05', '长江口南支航道—太仓港区', 'Yangtze South Branch channel to Taicang', '2322-T01', [
    [122.5, 31.4],
    [122.2, 31.42],
    [121.95, 31.44],
    [121.8245, 31.434],
    [121.7, 31.45],
    [121.6, 31.49],
    [121.5, 31.525],
    [121.4, 31.565],
    [121.3, 31.605],
    [121.2265, 31.6405],
  ]),
  // --- Ningbo–Zhoushan ---
  lane('L06', '虾峙门—螺头水道—北仑港区', 'Xiazhimen and Luotou channels to Beilun', '3104-T01', [
    ...XIAZHIMEN,
    [122.13, 29.908],
    [122.074, 29.93],
    [122.032, 29.93],
    [121.964, 29.96],
    [121.92, 29.948],
    [121.88, 29.9293],
  ]),
  lane('L07', '金塘水道—北仑港区', 'Jintang channel to Beilun (from the north)', '3104-T01', [
    [122.05, 30.4],
    [121.927, 30.2377],
    [121.804, 30.0754],
    [121.832, 29.9914],
    [121.86, 29.9354],
  ]),
  lane('L08', '虾峙门—舟山定海港区', 'Xiazhimen to Zhoushan Dinghai', '3100-T01', [...XIAZHIMEN, [122.15, 29.905], [122.103, 29.962], [122.088, 30.0065]]),
  // --- Shenzhen ---
  lane('L09', '大鹏湾—盐田港区', 'Mirs Bay (Dapeng Bay) to Yantian', '5316-T01', [
    [114.55, 22.22],
    [114.46, 22.36],
    [114.368, 22.506],
    [114.308, 22.564],
    [114.28, 22.5648],
  ]),
  lane('L10', '珠江口铜鼓航道—蛇口港区', 'Pearl River estuary (Tonggu channel, west of Lantau) to Shekou', '5300-T01', [
    [113.75, 21.95],
    [113.778, 21.98],
    [113.79, 22.18],
    [113.806, 22.384],
    [113.822, 22.4],
    [113.865, 22.49],
  ]),
  lane('L11', '伶仃航道北段—蛇口港区', 'Lingding channel from the north (Guangzhou) to Shekou', '5300-T01', [
    [113.68, 22.7],
    [113.74, 22.64],
    [113.8, 22.575],
    [113.856, 22.514],
    [113.86, 22.498],
    [113.865, 22.49],
  ]),
  // --- coastal transit and anchorages ---
  lane(
    'L12',
    '东海沿海南北过境航线',
    'East China Sea coastal through-route (north–south, offshore)',
    '2248-T01',
    [
      [122.6, 32.6],
      [122.85, 31.8],
      [123.0, 31.0],
      [122.96, 30.43],
      [122.8, 29.6],
      [122.45, 28.81],
      [122.3, 28.3],
    ],
    'transit',
  ),
  lane(
    'L13',
    '南海北部沿岸东西过境航线',
    'South China coast through-route (west–east, south of Hong Kong)',
    '5316-T01',
    [
      [113.2, 21.75],
      [113.75, 21.8],
      [114.33, 21.85],
      [114.8, 22.05],
      [115.2, 22.35],
    ],
    'transit',
  ),
  lane(
    'L14',
    '长江口锚地',
    'Yangtze estuary anchorage circuit',
    '2218-T01',
    [
      [122.3, 31.16],
      [122.42, 31.2],
      [122.48, 31.28],
      [122.42, 31.35],
      [122.3, 31.33],
      [122.24, 31.25],
      [122.3, 31.16],
    ],
    'anchorage',
  ),
  lane(
    'L15',
    '虾峙门口外锚地',
    'Xiazhimen outer anchorage circuit',
    '3104-T01',
    [
      [122.45, 29.66],
      [122.55, 29.63],
      [122.62, 29.6],
      [122.6, 29.53],
      [122.5, 29.52],
      [122.43, 29.58],
      [122.45, 29.66],
    ],
    'anchorage',
  ),
];
