// Supervised sites (监管场所) of the demo world. All approximate: centred on the real places as far as
// the offline data allows. Port terminals are quay strips set just behind the OSM coastline of
// geo/coast-china-1m.geojson (so they are on land with their berth side to the water); the shore
// polylines below are that file's vertices, walked with the land on the left.
import type { LonLat } from '../../../lib/domain';
import type { SiteSeed } from './types';
import { quay, rect } from './shapes';

type Kind = SiteSeed['kind'];
const site = (code: string, nameZh: string, nameEn: string, kind: Kind, district: string, area: LonLat[]): SiteSeed => ({
  code,
  nameZh,
  nameEn,
  kind,
  district,
  area,
  approximate: true,
});

export const SITES: SiteSeed[] = [
  // --- port terminals (berths face the water along the shore polyline) ---
  site(
    '2248-T01',
    '洋山深水港区集装箱码头',
    'Yangshan Deep-Water Port container terminals',
    'port_terminal',
    '2248',
    quay(
      [
        [122.0459, 30.6356],
        [122.06614, 30.61869],
        [122.0889, 30.6054],
      ],
      100,
      640,
    ),
  ),
  site(
    '2218-T01',
    '外高桥港区集装箱码头',
    'Waigaoqiao port area container terminals',
    'port_terminal',
    '2218',
    quay(
      [
        [121.6427, 31.3431],
        [121.63313, 31.34754],
        [121.61448, 31.35098],
        [121.5829, 31.372],
      ],
      100,
      800,
    ),
  ),
  site(
    '2200-T01',
    '宝山罗泾港区',
    'Baoshan Luojing port area (Wusong)',
    'port_terminal',
    '2200',
    quay(
      [
        [121.4485, 31.439],
        [121.437, 31.4482],
      ],
      80,
      600,
    ),
  ),
  site(
    '2322-T01',
    '太仓港区集装箱码头',
    'Taicang port container terminals',
    'port_terminal',
    '2322',
    quay(
      [
        [121.2464, 31.6198],
        [121.2036, 31.6544],
      ],
      100,
      700,
    ),
  ),
  site(
    '3104-T01',
    '北仑港区集装箱码头',
    'Ningbo Beilun port area container terminals',
    'port_terminal',
    '3104',
    quay(
      [
        [121.9091, 29.9235],
        [121.88135, 29.92731],
        [121.8543, 29.9353],
      ],
      100,
      900,
    ),
  ),
  site(
    '3100-T01',
    '舟山定海港区',
    'Zhoushan Dinghai port area',
    'port_terminal',
    '3100',
    quay(
      [
        [122.0669, 30.0106],
        [122.08026, 30.00743],
        [122.0966, 30.0092],
      ],
      80,
      600,
    ),
  ),
  site(
    '5316-T01',
    '盐田港区集装箱码头',
    'Yantian port container terminals',
    'port_terminal',
    '5316',
    quay(
      [
        [114.2668, 22.575],
        [114.27481, 22.56639],
        [114.282, 22.5666],
      ],
      80,
      450,
    ),
  ),
  site(
    '5300-T01',
    '蛇口港区集装箱码头',
    'Shekou port container terminals',
    'port_terminal',
    '5300',
    quay(
      [
        [113.864, 22.497],
        [113.8703, 22.482],
      ],
      80,
      600,
    ),
  ),

  // --- bonded zones (综合保税区 / 保税区) ---
  site('2218-B01', '外高桥保税区', 'Waigaoqiao Free Trade Zone', 'bonded_zone', '2218', rect([121.595, 31.33], 1800, 1400, 120)),
  site('2248-B01', '洋山特殊综合保税区（芦潮港区域）', 'Yangshan Special Comprehensive Bonded Zone (Luchaogang)', 'bonded_zone', '2248', rect([121.91, 30.895], 1800, 1500, 30)),
  site('2327-B01', '苏州工业园综合保税区', 'Suzhou Industrial Park Comprehensive Bonded Zone', 'bonded_zone', '2327', rect([120.785, 31.33], 1800, 1400, 0)),
  site('2305-B01', '昆山综合保税区', 'Kunshan Comprehensive Bonded Zone', 'bonded_zone', '2305', rect([120.99, 31.35], 1600, 1200, 0)),
  site('3104-B01', '宁波保税区', 'Ningbo Free Trade Zone', 'bonded_zone', '3104', rect([121.84, 29.905], 1500, 1200, 90)),
  site('2921-B01', '杭州综合保税区（下沙）', 'Hangzhou Comprehensive Bonded Zone (Xiasha)', 'bonded_zone', '2921', rect([120.335, 30.3], 1600, 1300, 0)),
  site('2300-B01', '南京综合保税区（龙潭）', 'Nanjing Comprehensive Bonded Zone (Longtan)', 'bonded_zone', '2300', rect([119.03, 32.15], 1600, 1200, 90)),
  site('5300-B01', '福田保税区', 'Futian Free Trade Zone', 'bonded_zone', '5300', rect([114.048, 22.5175], 700, 450, 90)),

  // --- supervised warehouses (监管仓库) ---
  site('2900-W01', '嘉兴监管仓库', 'Jiaxing supervised warehouse', 'warehouse', '2900', rect([120.78, 30.74], 400, 300, 0)),
  site('2300-W01', '无锡新区监管仓库', 'Wuxi New District supervised warehouse', 'warehouse', '2300', rect([120.43, 31.495], 400, 300, 0)),
  site('2300-W02', '常州监管仓库', 'Changzhou supervised warehouse', 'warehouse', '2300', rect([119.97, 31.835], 400, 300, 0)),
  site('2300-W03', '南京江宁监管仓库', 'Nanjing Jiangning supervised warehouse', 'warehouse', '2300', rect([118.84, 31.94], 400, 300, 0)),
  site('2900-W02', '绍兴监管仓库', 'Shaoxing supervised warehouse', 'warehouse', '2900', rect([120.6, 30.045], 400, 300, 0)),
  site('2900-W03', '湖州监管仓库', 'Huzhou supervised warehouse', 'warehouse', '2900', rect([120.12, 30.87], 400, 300, 0)),
  site('2200-W01', '松江出口加工区监管仓库', 'Songjiang supervised warehouse', 'warehouse', '2200', rect([121.215, 31.025], 400, 300, 0)),
  site('5300-W01', '平湖物流园监管仓库', 'Pinghu logistics park supervised warehouse', 'warehouse', '5300', rect([114.13, 22.68], 500, 300, 0)),

  // --- inspection sites (查验场) ---
  site('2248-I01', '芦潮港集中查验场', 'Luchaogang central inspection site', 'inspection', '2248', rect([121.9, 30.868], 600, 400, 90)),
  site('2218-I01', '外高桥集中查验中心', 'Waigaoqiao central inspection site', 'inspection', '2218', rect([121.625, 31.323], 600, 400, 30)),
  site('3104-I01', '北仑集中查验场', 'Beilun central inspection site', 'inspection', '3104', rect([121.79, 29.915], 600, 400, 90)),
];
