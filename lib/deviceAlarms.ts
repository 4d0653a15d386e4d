// Alarm flags a device may raise with a fix (PositionReport.alarm): the domain's names for them.
// The vocabulary follows the flags of JT/T 808-2013 Table 24, which most vehicle trackers in the
// field speak; each protocol maps its own bits onto it where it decodes (server/ingest/<protocol>),
// so the rules and the UI know these names and never a protocol.
//
// A fix carries its flags as one u32 set: bit i set ⇔ DEVICE_ALARMS[i] raised.

export const DEVICE_ALARMS = [
  'emergency',
  'overspeed',
  'fatigue_driving',
  'danger_warning',
  'gnss_module_fault',
  'gnss_antenna_cut',
  'gnss_antenna_short',
  'main_power_undervoltage',
  'main_power_off',
  'display_fault',
  'tts_fault',
  'camera_fault',
  'ic_card_module_fault',
  'overspeed_warning',
  'fatigue_warning',
  'driving_violation',
  'tyre_pressure_warning',
  'right_turn_blind_spot',
  'daily_driving_overtime',
  'overtime_parking',
  'area_in_out',
  'route_in_out',
  'route_travel_time',
  'route_deviation',
  'vss_fault',
  'fuel_abnormal',
  'vehicle_stolen',
  'illegal_ignition',
  'illegal_displacement',
  'collision_warning',
  'rollover_warning',
  'illegal_door_open',
] as const;
export type DeviceAlarm = (typeof DEVICE_ALARMS)[number];

/** The set holding exactly these flags. */
export function alarmSet(...alarms: DeviceAlarm[]): number {
  return alarms.reduce((set, a) => (set | (1 << DEVICE_ALARMS.indexOf(a))) >>> 0, 0);
}

/** Names of the flags in a set, in their order; a bit with no name (none today) as `bit<n>`. */
export function alarmNames(set: number): string[] {
  const out: string[] = [];
  const v = set >>> 0;
  for (let b = 0; b < 32; b++) if ((v >>> b) & 1) out.push(DEVICE_ALARMS[b] ?? `bit${b}`);
  return out;
}
