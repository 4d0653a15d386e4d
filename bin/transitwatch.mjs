#!/usr/bin/env node
// The `transitwatch` command (package.json "bin"): runs server/cli.ts through tsx.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import(new URL('../server/cli.ts', import.meta.url).href);
const code = await runCli(process.argv.slice(2));
// Pools and the embedded database are closed by then; exit without waiting for stray timers.
process.exit(code);
