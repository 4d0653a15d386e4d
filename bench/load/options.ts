// `npm run load -- --rates 5000,20000,max --duration 30 --terminals 2000 --vessels 1000 --clients 20`
// (flags, or the same names in LOAD_* environment variables: LOAD_RATES, LOAD_DURATION, …).
import { readOptions } from '../../server/cliOptions';

export interface LoadOptions {
  /** Target fixes/s per step; Infinity for "max" (as fast as the node acknowledges). */
  rates: number[];
  /** Seconds of sending per step. */
  durationS: number;
  /** Seconds to wait after a step for the node to store what it was sent. */
  drainS: number;
  terminals: number;
  vessels: number;
  clients: number;
  /** Unacknowledged 0x0200 per terminal before it waits (a terminal's send window). */
  window: number;
  /** Seconds of the raw-insert baseline. */
  baselineS: number;
  /** Run the node under `node --cpu-prof` and print its top functions. */
  profile: boolean;
  /**
   * The node layouts to run, one after the other on the same database: `single` (one node, every
   * role), `split` (an ingest node with the device ports, a web+rules node; Redis between), `standby`
   * (ingest, web, and two rules nodes: the active one is killed with SIGKILL halfway through each step).
   */
  layouts: Layout[];
  /**
   * Seconds the database is cut off (a TCP proxy drops every connection) halfway through each step of
   * the single and split layouts; 0: never. With LOAD_PG_RESTART_CMD set, that command (a real restart
   * of the server) runs instead.
   */
  outageS: number;
}

export type Layout = 'single' | 'split' | 'standby';
const LAYOUTS: Layout[] = ['single', 'split', 'standby'];

const FLAGS = ['rates', 'duration', 'drain', 'terminals', 'vessels', 'clients', 'window', 'baseline', 'layouts', 'outage'];

function parseRate(s: string): number {
  if (s === 'max') return Infinity;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--rates: "${s}" is neither a positive number nor max`);
  return n;
}

function positive(name: string, s: string, min = 1): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: "${s}" is not an integer ≥ ${min}`);
  return n;
}

export function loadOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): LoadOptions {
  const read = readOptions(
    argv,
    FLAGS.map((f) => `--${f}`),
    ['--profile'],
  );
  if ('bad' in read) throw new Error(`unknown or repeated flag ${read.bad}; flags: ${FLAGS.map((f) => `--${f} N`).join(' ')} --profile`);
  const get = (name: string, dflt: string) => read.opts[name] ?? env[`LOAD_${name.toUpperCase()}`] ?? dflt;
  return {
    rates: get('rates', '5000,20000,max').split(',').map(parseRate),
    durationS: positive('duration', get('duration', '30')),
    drainS: positive('drain', get('drain', '30')),
    terminals: positive('terminals', get('terminals', '2000')),
    vessels: positive('vessels', get('vessels', '1000'), 0),
    clients: positive('clients', get('clients', '20'), 0),
    window: positive('window', get('window', '32')),
    baselineS: positive('baseline', get('baseline', '5'), 0),
    profile: read.opts.profile === '1' || env.LOAD_PROFILE === '1',
    layouts: get('layouts', 'single')
      .split(',')
      .map((l) => {
        if (!(LAYOUTS as string[]).includes(l)) throw new Error(`--layouts: "${l}" is not one of ${LAYOUTS.join(', ')}`);
        return l as Layout;
      }),
    outageS: positive('outage', get('outage', '0'), 0),
  };
}
