// `transitwatch decode ais|jt808|jt809 FILE|-`: one JSON object per decoded message, fields under plain
// names and units, and one per rejected input with the reason. For people who debug feeds.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { decodeAisLines } from '../ingest/ais';
import { decodeHexStream } from '../ingest/jt808';
import { decodeHexStream as decodeJt809HexStream } from '../ingest/jt809/decodeHex';

function lines(file: string): AsyncIterable<string> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  return createInterface({ input, crlfDelay: Infinity });
}

export async function decodeCommand(protocol: string | undefined, file: string | undefined, write: (line: string) => void): Promise<number> {
  if (!file || (protocol !== 'ais' && protocol !== 'jt808' && protocol !== 'jt809')) {
    write(JSON.stringify({ error: 'usage: transitwatch decode ais|jt808|jt809 FILE|-' }));
    return 2;
  }
  if (protocol === 'ais') {
    const summary = await decodeAisLines(lines(file), (o) => write(JSON.stringify(o)));
    process.stderr.write(`${JSON.stringify({ summary })}\n`);
    return 0;
  }
  let n = 0;
  for await (const line of lines(file)) {
    n++;
    const text = line.trim();
    if (!text || text.startsWith('#')) continue;
    if (!/^[0-9a-fA-F\s]+$/.test(text)) {
      write(JSON.stringify({ kind: 'rejected', line: n, reason: 'format', detail: 'not a hex string', input: text.slice(0, 200) }));
      continue;
    }
    const frames = protocol === 'jt809' ? decodeJt809HexStream(text) : decodeHexStream(text);
    for (const frame of frames) write(JSON.stringify({ line: n, ...frame }));
  }
  return 0;
}
