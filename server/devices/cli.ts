// `transitwatch device add --asset KEY (--jt808 PHONE | --osmand ID)`: the CLI's way to register a
// terminal, through the same code as POST /api/devices (audited as 'cli', no jurisdiction limit:
// whoever runs it holds the database credential). Exit codes as server/cli.ts: 0 ok, 2 could not.
import type pg from 'pg';
import { DomainError } from '../errors';
import { DeviceBody, registerDevice } from './admin';
import { readOptions } from '../cliOptions';

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
  const read = readOptions(rest, ['--asset', '--jt808', '--osmand']);
  if ('bad' in read) {
    say(`bad argument: ${read.bad}`);
    return 2;
  }
  const body = DeviceBody.safeParse(read.opts);
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
