// `transitwatch device add --asset KEY (--jt808 PHONE | --osmand ID)`: the CLI's way to register a
// terminal, through the same code as POST /api/devices (audited as 'cli', no jurisdiction limit:
// whoever runs it holds the database credential). Exit codes as server/cli.ts: 0 ok, 2 could not.
import type pg from 'pg';
import { DomainError } from '../errors';
import { DeviceBody, registerDevice } from './admin';

export async function deviceCommand(
  args: string[],
  open: () => Promise<{ pool: pg.Pool; close(): Promise<void> }>,
  out: (line: string) => void,
  say: (msg: string) => void,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'add') {
    say('usage: device add --asset KEY (--jt808 PHONE | --osmand ID)');
    return 2;
  }
  const opts: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i]!, rest[i + 1]];
    if (!['--asset', '--jt808', '--osmand'].includes(flag) || value === undefined || opts[flag.slice(2)] !== undefined) {
      say(`bad argument: ${flag}`);
      return 2;
    }
    opts[flag.slice(2)] = value;
  }
  const body = DeviceBody.safeParse(opts);
  if (!body.success) {
    say(`device add: ${body.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`);
    return 2;
  }
  const db = await open();
  try {
    const device = await registerDevice(db.pool, body.data);
    out(JSON.stringify(device));
    say(
      device.secret
        ? `OsmAnd device ${device.ident} registered to ${device.asset.key}. Its secret is shown once: give the device the server URL http://HOST:5055/?${device.urlQuery}`
        : `JT/T 808 terminal ${device.ident} registered to ${device.asset.key}: it registers (0x0100) with the vehicle's plate for its code.`,
    );
    return 0;
  } catch (err) {
    if (DomainError.is(err)) {
      say(`device add: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await db.close();
  }
}
