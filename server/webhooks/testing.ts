// A real local webhook receiver for the tests and the bench: node:http on a free port that answers
// 204, fails (500) or hangs (never answers), as told, and records every request it saw with its
// event id and whether its Notification-Signature verified.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverMode = 'ok' | 'fail' | 'hang';

export interface Seen {
  eventId: string;
  type: string;
  signed: boolean;
  answered: number | null;
  body: string;
}

export class TestReceiver {
  mode: ReceiverMode = 'ok';
  /** When set, decides per request (the bench's mix of failures and hangs). */
  decide?: (eventId: string) => ReceiverMode;
  secret = '';
  seen: Seen[] = [];
  private server: Server;
  private held: ServerResponse[] = [];

  private constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  static async start(): Promise<TestReceiver> {
    const r = new TestReceiver();
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Event ids answered 2xx, with how many times each. */
  accepted(): Map<string, number> {
    const m = new Map<string, number>();
    for (const s of this.seen) if (s.answered !== null && s.answered < 300) m.set(s.eventId, (m.get(s.eventId) ?? 0) + 1);
    return m;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const eventId = String(req.headers['x-tw-event-id'] ?? '');
      const expected = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`);
      const got = Buffer.from(String(req.headers['notification-signature'] ?? ''));
      const seen: Seen = {
        eventId,
        type: String(req.headers['x-tw-event-type'] ?? ''),
        signed: got.length === expected.length && timingSafeEqual(got, expected),
        answered: null,
        body: body.toString(),
      };
      this.seen.push(seen);
      const mode = this.decide?.(eventId) ?? this.mode;
      if (mode === 'hang') {
        this.held.push(res);
        return;
      }
      seen.answered = mode === 'ok' ? 204 : 500;
      res.writeHead(seen.answered, { 'content-type': 'text/plain' }).end(mode === 'ok' ? '' : 'receiver down for the test');
    });
  }

  async close(): Promise<void> {
    for (const r of this.held) r.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls until `probe` gives a value (or the time runs out, naming what never happened). */
export async function waitFor<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > end) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
