// JT/T 808 alarm flag and status bit definitions, for the 0x0200 location report.
// Alarm flags: JT/T 808-2013 Table 24 (报警标志位定义); 2019 edition changes noted per bit.
// Status bits: JT/T 808-2013 Table 25 (状态位定义); 2019 additions noted.
// A position report carries the domain's alarm flags (lib/deviceAlarms.ts), not this DWORD:
// jt808AlarmFlags() maps one onto the other where the session delivers a fix. The names here are
// the domain's (the domain took its vocabulary from Table 24), for the CLI decoder and the tests.
import { alarmSet, type DeviceAlarm } from '../../../lib/deviceAlarms';

/** Alarm flag bit → the domain's alarm it raises. Bits not listed are reserved. */
export const JT808_ALARM_BITS: Readonly<Record<number, DeviceAlarm>> = Object.freeze({
  0: 'emergency', //                    紧急报警 (SOS switch); cleared when acknowledged
  1: 'overspeed', //                    超速报警
  2: 'fatigue_driving', //              疲劳驾驶
  3: 'danger_warning', //               危险预警 (2019: 危险驾驶行为报警)
  4: 'gnss_module_fault', //            GNSS 模块发生故障
  5: 'gnss_antenna_cut', //             GNSS 天线未接或被剪断
  6: 'gnss_antenna_short', //           GNSS 天线短路
  7: 'main_power_undervoltage', //      终端主电源欠压
  8: 'main_power_off', //               终端主电源掉电
  9: 'display_fault', //                终端 LCD 或显示器故障
  10: 'tts_fault', //                   TTS 模块故障
  11: 'camera_fault', //                摄像头故障
  12: 'ic_card_module_fault', //        道路运输证 IC 卡模块故障
  13: 'overspeed_warning', //           超速预警
  14: 'fatigue_warning', //             疲劳驾驶预警
  15: 'driving_violation', //           2019: 违规行驶报警 (2013: reserved)
  16: 'tyre_pressure_warning', //       2019: 胎压预警 (2013: reserved)
  17: 'right_turn_blind_spot', //       2019: 右转盲区异常报警 (2013: reserved)
  18: 'daily_driving_overtime', //      当天累计驾驶超时
  19: 'overtime_parking', //            超时停车
  20: 'area_in_out', //                 进出区域; cleared when acknowledged
  21: 'route_in_out', //                进出路线; cleared when acknowledged
  22: 'route_travel_time', //           路段行驶时间不足/过长; cleared when acknowledged
  23: 'route_deviation', //             路线偏离报警
  24: 'vss_fault', //                   车辆 VSS 故障
  25: 'fuel_abnormal', //               车辆油量异常
  26: 'vehicle_stolen', //              车辆被盗 (通过车辆防盗器)
  27: 'illegal_ignition', //            车辆非法点火
  28: 'illegal_displacement', //        车辆非法位移
  29: 'collision_warning', //           碰撞预警 (2011: 碰撞侧翻报警; 2019: 碰撞侧翻报警)
  30: 'rollover_warning', //            侧翻预警
  31: 'illegal_door_open', //           非法开门报警 (2013; reserved in 2019 but still sent by many terminals)
});

/** Chinese labels of the alarm bits, for the zh-CN interface. */
export const JT808_ALARM_BITS_ZH: Readonly<Record<number, string>> = Object.freeze({
  0: '紧急报警',
  1: '超速报警',
  2: '疲劳驾驶',
  3: '危险预警',
  4: 'GNSS模块故障',
  5: 'GNSS天线未接或被剪断',
  6: 'GNSS天线短路',
  7: '主电源欠压',
  8: '主电源掉电',
  9: '显示器故障',
  10: 'TTS模块故障',
  11: '摄像头故障',
  12: 'IC卡模块故障',
  13: '超速预警',
  14: '疲劳驾驶预警',
  15: '违规行驶报警',
  16: '胎压预警',
  17: '右转盲区异常报警',
  18: '当天累计驾驶超时',
  19: '超时停车',
  20: '进出区域',
  21: '进出路线',
  22: '路段行驶时间不足/过长',
  23: '路线偏离报警',
  24: '车辆VSS故障',
  25: '车辆油量异常',
  26: '车辆被盗',
  27: '车辆非法点火',
  28: '车辆非法位移',
  29: '碰撞预警',
  30: '侧翻预警',
  31: '非法开门报警',
});

const mask = (...bits: number[]): number => bits.reduce((m, b) => (m | (1 << b)) >>> 0, 0);

/**
 * Alarm bits that suggest the cargo unit or its tracker was tampered with (door opened, vehicle moved
 * or started without authorisation, the tracker's antenna or power cut): the candidates for
 * SEAL_ALARM. A suggestion for the rules, which decide.
 */
export const JT808_TAMPER_ALARM_MASK = mask(5, 8, 26, 27, 28, 31);

/** Alarm bits about the route and areas the platform set on the terminal (route/area alarms raised on the device). */
export const JT808_ROUTE_ALARM_MASK = mask(20, 21, 22, 23);

/** The domain's alarm flags (lib/deviceAlarms.ts) raised by a JT/T 808 alarm DWORD; reserved bits raise nothing. */
export function jt808AlarmFlags(bits: number): number {
  const v = bits >>> 0;
  if (v === 0) return 0;
  const raised: DeviceAlarm[] = [];
  for (let b = 0; b < 32; b++) {
    const alarm = JT808_ALARM_BITS[b];
    if ((v >>> b) & 1 && alarm) raised.push(alarm);
  }
  return alarmSet(...raised);
}

/** Names of the alarm bits set in `bits` (a u32), lowest bit first; reserved bits as `bit<n>`. */
export function decodeAlarm(bits: number): string[] {
  const out: string[] = [];
  const v = bits >>> 0;
  for (let b = 0; b < 32; b++) if ((v >>> b) & 1) out.push(JT808_ALARM_BITS[b] ?? `bit${b}`);
  return out;
}

/** Status bit → name, for bits that mean something when set. Bits 8-9 (load) are decoded together. */
export const JT808_STATUS_BITS: Readonly<Record<number, string>> = Object.freeze({
  0: 'acc_on', //                       ACC 开
  1: 'positioned', //                   定位
  2: 'south_latitude', //               南纬
  3: 'west_longitude', //               西经
  4: 'out_of_service', //               停运状态
  5: 'coordinates_encrypted', //        经纬度已经保密插件加密
  6: 'forward_collision_warning', //    2019: 紧急刹车系统采集的前撞预警
  7: 'lane_departure_warning', //       2019: 车道偏移预警
  10: 'oil_circuit_cut', //             车辆油路断开
  11: 'electric_circuit_cut', //        车辆电路断开
  12: 'doors_locked', //                车门加锁
  13: 'door1_open', //                  门1开 (前门)
  14: 'door2_open', //                  门2开 (中门)
  15: 'door3_open', //                  门3开 (后门)
  16: 'door4_open', //                  门4开 (驾驶席门)
  17: 'door5_open', //                  门5开 (自定义)
  18: 'gps', //                         使用 GPS 卫星进行定位
  19: 'beidou', //                      使用北斗卫星进行定位
  20: 'glonass', //                     使用 GLONASS 卫星进行定位
  21: 'galileo', //                     使用 Galileo 卫星进行定位
  22: 'moving', //                      2019: 车辆处于行驶状态
});

export const STATUS_ACC_ON = 1 << 0;
export const STATUS_POSITIONED = 1 << 1;
export const STATUS_SOUTH = 1 << 2;
export const STATUS_WEST = 1 << 3;

/** Names of the status bits set in `bits`; the load state (bits 8-9) as `load_half`, `load_full` or `load_reserved`. */
export function decodeStatus(bits: number): string[] {
  const out: string[] = [];
  const v = bits >>> 0;
  for (let b = 0; b < 32; b++) {
    if (b === 8 || b === 9) continue;
    if ((v >>> b) & 1) out.push(JT808_STATUS_BITS[b] ?? `bit${b}`);
  }
  const load = (v >>> 8) & 3; // 00 empty, 01 half loaded, 10 reserved, 11 full
  if (load === 1) out.push('load_half');
  else if (load === 3) out.push('load_full');
  else if (load === 2) out.push('load_reserved');
  return out;
}
