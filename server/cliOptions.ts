// The `--flag value` arguments of the CLI's commands (server/cli.ts, devices/cli.ts,
// ingest/jt809/cli.ts): one reader, so that every command refuses the same things the same way.

/**
 * Reads `--name value` pairs for the `values` flags (keyed without the dashes) and bare `switches`
 * (set to '1'). Anything else, a value flag with no value, or a flag given twice: `{ bad: flag }`.
 */
export function readOptions(args: string[], values: string[], switches: string[] = []): { opts: Record<string, string> } | { bad: string } {
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const key = flag.slice(2);
    if (opts[key] !== undefined) return { bad: flag };
    if (switches.includes(flag)) {
      opts[key] = '1';
      continue;
    }
    const value = args[i + 1];
    if (!values.includes(flag) || value === undefined) return { bad: flag };
    opts[key] = value;
    i++;
  }
  return { opts };
}
