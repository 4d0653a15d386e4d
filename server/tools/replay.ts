// `transitwatch replay FILE --to tcp://host:port|udp://host:port [--rate N]`: sends a capture to a
// listener, N lines a second (default 100; 0 = as fast as the socket takes them). Lines of hex are
// sent as bytes (JT/T 808 captures); other lines as text with CRLF (NMEA).
import { createReadStream } from 'node:fs';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

export async function replayCommand(args: string[], say: (line: string) => void): Promise<number> {
  const file = args[0];
  const to = args[args.indexOf('--to') + 1];
  const rateArg = args.includes('--rate') ? Number(args[args.indexOf('--rate') + 1]) : 100;
  const target = to && /^(tcp|udp):\/\/([^:/]+):(\d+)$/.exec(to);
  if (!file || !args.includes('--to') || !target || !(rateArg >= 0)) {
    say('usage: transitwatch replay FILE --to tcp://host:port|udp://host:port [--rate N]');
    return 2;
  }
  const [, scheme, host, port] = target;
  const input = createInterface({ input: file === '-' ? process.stdin : createReadStream(file), crlfDelay: Infinity });
  const payload = (line: string) => (/^[0-9a-fA-F]+$/.test(line) && line.length % 2 === 0 && !line.startsWith('!') ? Buffer.from(line, 'hex') : Buffer.from(`${line}\r\n`));
  const gap = rateArg > 0 ? 1000 / rateArg : 0;
  const started = Date.now();
  let sent = 0;

  let send: (b: Buffer) => Promise<void>;
  let close: () => Promise<void>;
  if (scheme === 'udp') {
    const sock = createSocket('udp4');
    send = (b) => new Promise((resolve, reject) => sock.send(b, Number(port), host, (err) => (err ? reject(err) : resolve())));
    close = async () => {
      sock.close();
    };
  } else {
    const sock = connect({ host: host!, port: Number(port) });
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    sock.on('data', () => {}); // replies (JT/T 808 acks) are read and dropped
    send = (b) => new Promise((resolve) => (sock.write(b) ? resolve() : sock.once('drain', () => resolve())));
    close = () => new Promise((resolve) => sock.end(() => resolve()));
  }
  for await (const raw of input) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    await send(payload(line));
    sent++;
    if (gap) {
      const due = started + sent * gap - Date.now();
      if (due > 0) await new Promise((r) => setTimeout(r, due));
    }
    if (sent % 1000 === 0) process.stderr.write(`\rsent ${sent} lines`);
  }
  await close();
  say(JSON.stringify({ sent, seconds: (Date.now() - started) / 1000, to }));
  return 0;
}
