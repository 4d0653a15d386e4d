// Test hooks, on only with TW_TEST_HOOKS=1 (the end-to-end tests set it; production never does).
// POST /api/test/live-restart?ms=N from loopback drops every live connection the way a server
// restart does (the transport closes under the clients) and refuses new ones for N ms, so the
// wall's reconnect-and-resnapshot path can be tested against the real server.
// GET /api/test/feed-ports from loopback names the ingest listeners' ports (the end-to-end tests
// run them on port 0), so that the security suite can attack them over real sockets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveServer } from './io';
import { isLoopback } from '../http/guard';

export class LiveTestHooks {
  private downUntil = 0;

  /** For the Socket.IO server's `allowRequest`: refuse handshakes while "down". */
  allowRequest = (_req: IncomingMessage, cb: (err: string | null | undefined, ok: boolean) => void): void => {
    cb(null, Date.now() >= this.downUntil);
  };

  constructor(
    private io: () => LiveServer,
    private feedPorts: () => Record<string, number | undefined> | undefined = () => undefined,
  ) {}

  /** Answers the hook's requests; false when the request is not one. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const feedPorts = path === '/api/test/feed-ports' && req.method === 'GET';
    if (!feedPorts && (path !== '/api/test/live-restart' || req.method !== 'POST')) return false;
    if (!isLoopback(req.socket.remoteAddress)) {
      res.writeHead(403).end();
      return true;
    }
    if (feedPorts) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.feedPorts() ?? {}));
      return true;
    }
    const ms = Math.min(60_000, Math.max(0, Number(new URL(req.url ?? '/', 'http://host').searchParams.get('ms') ?? 3000) || 0));
    this.downUntil = Date.now() + ms;
    const engine = this.io().engine as unknown as { clients: Record<string, { close(): void }> };
    const dropped = Object.keys(engine.clients).length;
    for (const client of Object.values(engine.clients)) client.close();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ dropped, downMs: ms }));
    return true;
  }
}
