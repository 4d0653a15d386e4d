// Starts the customs links: the receiver with every system registered, its followers (alerts,
// map colour, rules), the inbox folders and the reconciliation timer. One call from server/app.ts.
import { join } from 'node:path';
import type pg from 'pg';
import type { AlertService } from '../alerts/alertService';
import type { Config } from '../config';
import type { ColourCommands } from '../cluster/remote';
import { log } from '../log';
import type { MovementService } from '../movements/movementService';
import { LinkInbox } from './inbox';
import { LinkReceiver, type LinkFollowers } from './receiver';
import { linkSystems } from './systems';

export const SWEEP_EVERY_MS = 30_000;

export interface LinksRuntime {
  receiver: LinkReceiver;
  inbox?: LinkInbox;
  stop(): Promise<void>;
}

export async function startLinks(
  config: Config,
  deps: { pool: pg.Pool; movements: MovementService; alerts: AlertService; mapStatus: ColourCommands; onEvents: LinkFollowers['onEvents'] },
  say: (m: string) => void,
  /** The inbox folders and the reconciliation sweep: on the node with the rules role only (once per deployment). */
  loops = true,
): Promise<LinksRuntime> {
  const followers: LinkFollowers = {
    raise: async (a) => {
      const row = await deps.alerts.raiseExternal(a);
      if (row && a.assetId !== null) deps.mapStatus.restore([{ episode: a.episode, type: a.type, assetId: a.assetId }]);
      return row;
    },
    clear: async (episode, time, detail) => {
      const assetId = (await deps.pool.query<{ asset_id: number | null }>('SELECT asset_id FROM alerts WHERE episode = $1', [episode])).rows[0]?.asset_id;
      await deps.alerts.clearExternal(episode, time, detail);
      if (typeof assetId === 'number') deps.mapStatus.released([{ episode, type: 'GATE_MISMATCH', assetId }]);
    },
    onEvents: deps.onEvents,
  };
  const receiver = new LinkReceiver(deps.pool, deps.movements, followers);
  for (const s of linkSystems(config)) receiver.register(s);

  let inbox: LinkInbox | undefined;
  const folders = config.LINKS_DIR ?? (config.NODE_ENV === 'test' ? 'off' : undefined);
  if (loops && folders !== 'off') {
    const dir = folders ?? join(config.DATA_DIR, 'links');
    inbox = new LinkInbox(receiver, dir, config.LINKS_INBOX_DISTRICT);
    await inbox.prepare();
    if (config.LINKS_INBOX_POLL_MS > 0) inbox.start(config.LINKS_INBOX_POLL_MS);
    if (receiver.list().length)
      say(
        `Customs links: ${receiver
          .list()
          .map((s) => s.name)
          .join(', ')} (POST /api/links/<system>, inbox folders under ${dir})`,
      );
  }
  const sweep = loops && setInterval(() => void receiver.sweep().catch((err: Error) => log.error({ err: err.message }, 'link sweep failed')), SWEEP_EVERY_MS);
  if (sweep) sweep.unref();
  return {
    receiver,
    inbox,
    async stop() {
      if (sweep) clearInterval(sweep);
      await inbox?.stop();
    },
  };
}
