// Shared by the device and asset route handlers: DeviceError → ApiError, and device ids from the path.
import { ApiError } from '../http/api';
import { DeviceError } from './admin';

export async function asApi<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof DeviceError) throw new ApiError(err.status, err.message);
    throw err;
  }
}

/** A device id from the path: a positive int4 (a larger number would be a 500 in SQL). */
export function deviceIdParam(raw: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) throw new ApiError(400, 'id: a device id (a positive whole number)');
  return Number(raw);
}
