// `transitwatch jt809-platform add --access-code N --user-id N --password P --name NAME --district CODE
// [--plates P1,P2] [--keys M1,IA1,IC1] [--address IP]`: provision a lower platform through the same
// code as POST /api/jt809/platforms (audited as 'cli', no jurisdiction limit: whoever runs it holds
// the database credential). Exit codes as server/cli.ts: 0 ok, 2 could not.
import type pg from 'pg';
import { DomainError } from '../../errors';
import { PlatformBody, registerPlatform } from './admin';
import { readOptions } from '../../cliOptions';

const FLAGS = ['--access-code', '--user-id', '--password', '--name', '--district', '--plates', '--keys', '--address'];

export async function jt809PlatformCommand(
  args: string[],
  open: () => Promise<{ pool: pg.Pool; close(): Promise<void> }>,
  out: (line: string) => void,
  say: (msg: string) => void,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'add') {
    say('usage: jt809-platform add --access-code N --user-id N --password P --name NAME --district CODE [--plates P1,P2] [--keys M1,IA1,IC1] [--address IP]');
    return 2;
  }
  const read = readOptions(rest, FLAGS);
  if ('bad' in read) {
    say(`bad argument: ${read.bad}`);
    return 2;
  }
  const opts = read.opts;
  const keys = opts.keys?.split(',');
  const body = PlatformBody.safeParse({
    accessCode: opts['access-code'],
    userId: opts['user-id'],
    password: opts.password,
    name: opts.name,
    district: opts.district,
    ...(opts.plates && { plates: opts.plates.split(',') }),
    ...(keys && { keys: { m1: keys[0], ia1: keys[1], ic1: keys[2] } }),
    ...(opts.address && { address: opts.address }),
  });
  if (!body.success) {
    say(`jt809-platform add: ${body.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`);
    return 2;
  }
  const db = await open();
  try {
    const p = await registerPlatform(db.pool, body.data);
    out(JSON.stringify(p));
    say(`JT/T 809 platform ${p.name} (access code ${p.accessCode}) registered in ${p.district}: it logs in (0x1001) with user ${p.userId} and its password.`);
    return 0;
  } catch (err) {
    if (DomainError.is(err)) {
      say(`jt809-platform add: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await db.close();
  }
}
