// How devices and vehicles are named, once for REST, the CLI and the listeners.
import { z } from 'zod';

/**
 * A JT/T 808 terminal phone number as stored: its digits without leading zeros, so that the
 * 12-digit (2013) and 20-digit (2019) header forms of one terminal are one device.
 */
export function normaliseJt808Phone(digits: string): string {
  return digits.replace(/^0+/, '') || '0';
}

/** A plate compared without separators and case: '沪D·12345' = '沪D12345' (terminals send no '·'). */
export function normalisePlate(plate: string): string {
  return plate
    .normalize('NFKC')
    .replace(/[\s·•・.\-_]/g, '')
    .toUpperCase();
}

export const Jt808Phone = z.string().regex(/^[0-9]{1,20}$/, 'a JT/T 808 terminal phone number: 1 to 20 digits');
/** OsmAnd / Traccar Client device ids: what the apps generate (digits) or a short name. */
export const OsmAndId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'an OsmAnd device id: 1 to 64 of A-Z a-z 0-9 . _ -');
/** JT/T 808 plate colours (JT/T 697.7): 1 blue, 2 yellow, 3 black, 4 white, 5 green, 9 other. */
export const PlateColor = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(9)]);
export const Plate = z
  .string()
  .trim()
  .min(2)
  .max(16)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters');
export const Mmsi = z.string().regex(/^[0-9]{9}$/, 'an MMSI: 9 digits');
export const DistrictCode = z.string().regex(/^[0-9]{4}$/, 'a district code: 4 digits');
/** An asset key as stored (tel:…, mmsi:…, plate:…, osmand:…). */
export const AssetKey = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[a-z]+:[^\u0000-\u001f\u007f]+$/, 'an asset key such as plate:沪A12345 or mmsi:413000001');

export const DEVICE_PROTOCOLS = ['jt808', 'osmand'] as const;
export type DeviceProtocol = (typeof DEVICE_PROTOCOLS)[number];
export const DEVICE_STATES = ['never', 'registered', 'authenticated', 'refused'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];
