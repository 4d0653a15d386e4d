// In the browser zod runs without its JIT: zod 4 probes for it with `Function("")`, which the
// Content-Security-Policy (no 'unsafe-eval') blocks and reports as a violation on every page that
// parses. The server keeps the JIT (ingest parses every fix).
import { z } from 'zod';

if (typeof window !== 'undefined') z.config({ jitless: true });
