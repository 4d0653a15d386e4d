// `transitwatch <command>`: operator commands (bin/transitwatch.mjs runs this through tsx).
// Each command prints its result on stdout (one JSON line for machine readers) and its
// progress on stderr, and returns the exit code. Add a command to COMMANDS.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { runningEmbedded, startEmbeddedPostgis } from '../db/embedded';
import { anchorFiles, anchorGraceMs } from './ledger/anchorer';
import { loadAnchorPublicKey } from './ledger/anchorKey';
import { verifyLedger } from './ledger/verify';
import { issueKioskToken } from './auth/kiosk';
import { deviceCommand } from './devices/cli';
import { issueIngestToken, listIngestTokens, revokeIngestToken } from './ingest/tokens';
import { DomainError } from './errors';
import { decodeCommand } from './tools/decode';
import { jt809PlatformCommand } from './ingest/jt809/cli';
import { replayCommand } from './tools/replay';
import { WmsSystemBody, issueWmsSystem, listWmsSystems, revokeWmsSystem } from './links/wms/systems';
import { SecretBox } from './secrets/sealed';
import { RegionBody, issueRegion, listRegions, regionByCode, revokeRegion } from './federation/regions';
import { verifyRegion } from './federation/verify';
import { readOptions } from './cliOptions';

interface Command {
  usage: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

/** Exit codes: 0 ok, 1 the check found a problem, 2 the command could not run. */
export const EXIT = { ok: 0, found: 1, error: 2 } as const;

const say = (msg: string) => process.stderr.write(`${msg}\n`);

class UsageError extends Error {}

/**
 * The database the configuration names, without migrating it: DATABASE_URL, or the embedded
 * PostGIS under DATA_DIR (default ./data). While the server runs, its embedded PostGIS is reached
 * through its Unix socket (DATA_DIR/pglite-socket, open to this user only); otherwise the CLI
 * starts it itself for the command (the server then refuses to start until the command ends).
 */
async function openForCli(): Promise<{ pool: pg.Pool; close(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    return { pool, close: () => pool.end() };
  }
  const dataDir = process.env.DATA_DIR ?? './data';
  if (!existsSync(resolve(dataDir, 'pglite', 'PG_VERSION'))) {
    throw new Error(`no DATABASE_URL, and no embedded database under ${resolve(dataDir, 'pglite')} (set DATABASE_URL or DATA_DIR)`);
  }
  const running = await runningEmbedded(dataDir);
  if (running) {
    say(`Using the running server's embedded PostGIS (${running.socketDir})`);
    // One connection: PGlite has one session, shared with the server's own connection.
    const pool = new pg.Pool({ connectionString: running.url, max: 1 });
    return { pool, close: () => pool.end() };
  }
  const embedded = await startEmbeddedPostgis(dataDir, 0, say);
  const pool = new pg.Pool({ connectionString: embedded.url, max: 1 });
  return {
    pool,
    async close() {
      await pool.end();
      await embedded.stop();
    },
  };
}

function parseFlags(args: string[], known: string[]): Set<string> {
  const flags = new Set<string>();
  for (const a of args) {
    if (!known.includes(a)) throw new UsageError(`unknown argument: ${a}`);
    flags.add(a);
  }
  return flags;
}

function options(args: string[], values: string[], switches: string[] = []): Record<string, string> {
  const r = readOptions(args, values, switches);
  if ('bad' in r) throw new UsageError(`bad argument: ${r.bad}`);
  return r.opts;
}

const COMMANDS: Record<string, Command> = {
  'verify-ledger': {
    usage: 'verify-ledger [--quiet]',
    summary: 'walk the ledger hash chain, checkpoints, stored position batches and chained rows; name the first entry that does not match',
    async run(args) {
      const quiet = parseFlags(args, ['--quiet']).has('--quiet');
      // The anchor log and key the server uses (same variables, same defaults).
      const { DATA_DIR, DATABASE_URL, LEDGER_KEY_FILE, LEDGER_ANCHOR_FILE } = process.env;
      const files = anchorFiles({ DATA_DIR, DATABASE_URL, LEDGER_KEY_FILE, LEDGER_ANCHOR_FILE });
      const period = Number(process.env.LEDGER_CHECKPOINT_SECONDS) || 60;
      const anchors = { file: files.anchorFile, key: loadAnchorPublicKey(files.keyFile), graceMs: anchorGraceMs(period) };
      const db = await openForCli();
      try {
        let last = 0;
        const result = await verifyLedger(db.pool, {
          anchors,
          onProgress(done, total) {
            const now = Date.now();
            if (quiet || (now - last < 1000 && done < total)) return;
            last = now;
            say(`verified ${done} of ${total} entries (${total ? Math.floor((done / total) * 100) : 100}%)`);
          },
        });
        process.stdout.write(`${JSON.stringify(result)}\n`);
        if (!quiet) {
          say(
            result.ok
              ? `ledger OK: ${result.entries} entries, ${result.checkpoints} checkpoints, ${result.positionRows} position rows, ${result.rows} chained rows, ` +
                  `${result.anchors?.anchored ?? 0} anchors (${files.anchorFile}), ${result.ms} ms`
              : `ledger MISMATCH: ${result.findingsTotal} finding(s); first at entry ${result.firstBad!.seq} (${result.firstBad!.kind}, ${result.firstBad!.check}): ${result.firstBad!.reason}`,
          );
          if (result.unanchored) say(`not yet anchored: ${result.unanchored.entries} entries since ${result.unanchored.since}`);
        }
        return result.ok ? EXIT.ok : EXIT.found;
      } finally {
        await db.close();
      }
    },
  },
  'kiosk-token': {
    usage: 'kiosk-token --user NAME [--label TEXT] [--days N]',
    summary: 'issue a kiosk token for a read-only (viewer) account: open /wall?kiosk=TOKEN on the wall to sign it in (shown once)',
    async run(args) {
      const opts = options(args, ['--user', '--label', '--days']);
      if (!opts.user) throw new UsageError('--user is required');
      const days = opts.days === undefined ? undefined : Number(opts.days);
      if (days !== undefined && !(Number.isInteger(days) && days > 0 && days <= 3650)) throw new UsageError('--days: a whole number of days, 1 to 3650');
      const db = await openForCli();
      try {
        const issued = await issueKioskToken(db.pool, { username: opts.user, label: opts.label, days });
        process.stdout.write(`${JSON.stringify(issued)}\n`);
        say(
          `Kiosk token for ${issued.username}${issued.expiresAt ? ` until ${new Date(issued.expiresAt).toISOString()}` : ' (until revoked)'}: open ${issued.path} on the wall. It is shown once.`,
        );
        return EXIT.ok;
      } finally {
        await db.close();
      }
    },
  },
  device: {
    usage: 'device add --asset KEY (--jt808 PHONE | --osmand ID)',
    summary: "register a terminal to an asset (audited); an OsmAnd device's secret is printed once",
    run: (args) => deviceCommand(args, openForCli, (line) => process.stdout.write(`${line}\n`), say),
  },
  'jt809-platform': {
    usage: 'jt809-platform add --access-code N --user-id N --password P --name NAME --district CODE [--plates P1,P2] [--keys M1,IA1,IC1] [--address IP]',
    summary: 'provision a JT/T 809 lower platform (audited): its access code, login, district or plates, cipher keys, address',
    run: (args) => jt809PlatformCommand(args, openForCli, (line) => process.stdout.write(`${line}\n`), say),
  },
  'wms-system': {
    usage: 'wms-system --name NAME --district CODE --sites CODE[,CODE…] | --revoke NAME | --list',
    summary: 'provision a warehouse system for POST /api/links/wms (its HMAC secret is printed once), revoke one, or list them (audited)',
    async run(args) {
      const opts = options(args, ['--name', '--district', '--sites', '--revoke'], ['--list']);
      const db = await openForCli();
      try {
        if (opts.list) {
          for (const w of await listWmsSystems(db.pool, '0000')) process.stdout.write(`${JSON.stringify(w)}\n`);
          return EXIT.ok;
        }
        if (opts.revoke !== undefined) {
          const id = (await db.pool.query<{ id: string }>('SELECT id FROM wms_systems WHERE name = $1', [opts.revoke])).rows[0]?.id;
          if (!id) {
            say(`No WMS system ${opts.revoke}.`);
            return EXIT.found;
          }
          process.stdout.write(`${JSON.stringify(await revokeWmsSystem(db.pool, Number(id), undefined, null))}\n`);
          say(`WMS system ${opts.revoke} revoked.`);
          return EXIT.ok;
        }
        const body = WmsSystemBody.safeParse({ name: opts.name, district: opts.district, sites: opts.sites?.split(',') ?? [] });
        if (!body.success) throw new UsageError(body.error.issues.map((x) => `--${String(x.path[0])}: ${x.message}`).join('; '));
        const box = SecretBox.forConfig({ SECRETS_KEY_FILE: process.env.SECRETS_KEY_FILE, DATA_DIR: process.env.DATA_DIR || './data' });
        const issued = await issueWmsSystem(db.pool, box, body.data, undefined, null);
        process.stdout.write(`${JSON.stringify(issued)}\n`);
        say(
          `WMS system ${issued.name} (district ${issued.district}, sites ${issued.sites.join(', ')}); sign each call with its secret (server/links/wms/README.md). It is shown once.`,
        );
        return EXIT.ok;
      } finally {
        await db.close();
      }
    },
  },
  'federation-region': {
    usage: 'federation-region --code CODE --name NAME | --revoke CODE | --list',
    summary:
      'on the national node: provision a regional deployment that forwards its ledger here (its HMAC secret is printed once), revoke one, or list them with their cursor and lag (audited)',
    async run(args) {
      const opts = options(args, ['--code', '--name', '--revoke'], ['--list']);
      const db = await openForCli();
      try {
        if (opts.list) {
          for (const r of await listRegions(db.pool)) process.stdout.write(`${JSON.stringify(r)}\n`);
          return EXIT.ok;
        }
        if (opts.revoke !== undefined) {
          const region = await regionByCode(db.pool, opts.revoke);
          if (!region) {
            say(`No region ${opts.revoke}.`);
            return EXIT.found;
          }
          process.stdout.write(`${JSON.stringify(await revokeRegion(db.pool, region.id, undefined, null))}\n`);
          say(`Region ${opts.revoke} revoked.`);
          return EXIT.ok;
        }
        const body = RegionBody.safeParse({ code: opts.code, name: opts.name });
        if (!body.success) throw new UsageError(body.error.issues.map((x) => `--${String(x.path[0])}: ${x.message}`).join('; '));
        const box = SecretBox.forConfig({ SECRETS_KEY_FILE: process.env.SECRETS_KEY_FILE, DATA_DIR: process.env.DATA_DIR || './data' });
        const issued = await issueRegion(db.pool, box, body.data, undefined, null);
        process.stdout.write(`${JSON.stringify(issued)}\n`);
        say(
          `Region ${issued.code}: on its deployment put the secret in a file (chmod 600) named by FEDERATION_SECRET_FILE, with FEDERATION_REGION=${issued.code} and FEDERATION_UPSTREAM_URL=<this node>. It is shown once.`,
        );
        return EXIT.ok;
      } finally {
        await db.close();
      }
    },
  },
  'federation-verify': {
    usage: 'federation-verify --region CODE',
    summary: "on the national node: check a region's forwarded ledger (chain, checkpoint roots, positions, movements, alerts); exit 1 naming the first bad seq",
    async run(args) {
      const opts = options(args, ['--region']);
      if (!opts.region) throw new UsageError('--region CODE');
      const db = await openForCli();
      try {
        const region = await regionByCode(db.pool, opts.region);
        if (!region) {
          say(`No region ${opts.region}.`);
          return EXIT.error;
        }
        const r = (await verifyRegion(db.pool, region.id))!;
        process.stdout.write(`${JSON.stringify(r)}\n`);
        say(
          r.ok
            ? `Region ${r.region}: ${r.entries} entries up to seq ${r.lastSeq}, ${r.checkpoints} checkpoints, ${r.positionRows} positions, ${r.rows} movements and alerts: all check out.`
            : `Region ${r.region}: ${r.findingsTotal} findings; the first at seq ${r.firstBad!.seq} (${r.firstBad!.check}): ${r.firstBad!.reason}`,
        );
        return r.ok ? EXIT.ok : EXIT.found;
      } finally {
        await db.close();
      }
    },
  },
  'ingest-token': {
    usage: 'ingest-token --name NAME --district CODE --kind positions|events|both | --revoke NAME | --list',
    summary: 'issue a token for a system posting to /api/ingest/* (shown once; it stores as source http:NAME, within the district), revoke one, or list them',
    async run(args) {
      const opts = options(args, ['--name', '--district', '--kind', '--revoke'], ['--list']);
      const db = await openForCli();
      try {
        if (opts.list) {
          for (const t of await listIngestTokens(db.pool)) process.stdout.write(`${JSON.stringify(t)}\n`);
          return EXIT.ok;
        }
        if (opts.revoke !== undefined) {
          const done = await revokeIngestToken(db.pool, opts.revoke);
          process.stdout.write(`${JSON.stringify({ name: opts.revoke, revoked: done })}\n`);
          say(done ? `Ingest token ${opts.revoke} revoked.` : `No ingest token ${opts.revoke} to revoke.`);
          return done ? EXIT.ok : EXIT.found;
        }
        if (!opts.name || !opts.district || !opts.kind) throw new UsageError('--name, --district and --kind are required');
        const issued = await issueIngestToken(db.pool, { name: opts.name, district: opts.district, kind: opts.kind });
        process.stdout.write(`${JSON.stringify(issued)}\n`);
        say(`Ingest token ${issued.name} (district ${issued.district}, ${issued.kind}); send it as "Authorization: Bearer <token>". It is shown once.`);
        return EXIT.ok;
      } catch (err) {
        if (DomainError.is(err)) throw new UsageError(err.message);
        throw err;
      } finally {
        await db.close();
      }
    },
  },
  decode: {
    usage: 'decode ais|jt808|jt809 FILE|-',
    summary: 'decode a capture (NMEA lines; JT/T 808 or 809 hex frames, one or a stream per line): one JSON object per message or rejected input',
    run: ([protocol, file]) => decodeCommand(protocol, file, (line) => process.stdout.write(`${line}\n`)),
  },
  replay: {
    usage: 'replay FILE --to tcp://host:port|udp://host:port [--rate N]',
    summary: 'send a capture to a listener, N lines a second (default 100; 0 = as fast as possible)',
    run: (args) => replayCommand(args, (line) => process.stdout.write(`${line}\n`)),
  },
  help: {
    usage: 'help',
    summary: 'this text',
    async run() {
      process.stdout.write(helpText());
      return EXIT.ok;
    },
  },
};

function helpText(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  return [
    'Usage: transitwatch <command> [options]',
    '',
    'Commands:',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Database: DATABASE_URL names a PostGIS server. Without it the embedded PostGIS under',
    "DATA_DIR (default ./data) is used: through the running server's socket, or opened here.",
    '',
    'verify-ledger prints one JSON line on stdout (progress on stderr) and exits with',
    '0 when everything matches, 1 when something does not, 2 when it could not run.',
    'It checks the chain against the signed anchor log (LEDGER_ANCHOR_FILE, LEDGER_KEY_FILE).',
    '',
  ].join('\n');
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(helpText());
    return name ? EXIT.ok : EXIT.error;
  }
  const command = COMMANDS[name];
  if (!command) {
    say(`transitwatch: unknown command "${name}"\n`);
    process.stderr.write(helpText());
    return EXIT.error;
  }
  try {
    return await command.run(args);
  } catch (err) {
    say(`transitwatch ${name}: ${(err as Error).message}`);
    if (err instanceof UsageError) say(`usage: transitwatch ${command.usage}`);
    return EXIT.error;
  }
}
