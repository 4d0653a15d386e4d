// GET /api/docs/{file} — the reference page's scripts and styles, by name from an allow-list:
// Swagger UI's own files from node_modules/swagger-ui-dist, and our theme and start-up script.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseParams } from '@/server/http/contract';
import { docsFile as contract } from '@/server/http/contracts/docs';
import { handler } from '@/server/http/api';
import { DOCS_INIT_JS, DOCS_THEME_CSS } from '@/server/http/docsAssets';

export const dynamic = 'force-dynamic';

const TYPE = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' } as const;
const cache = new Map<string, Promise<string>>();

export const GET = handler(async (_request: Request, { params }: { params: Promise<{ file: string }> }) => {
  const { file } = await parseParams(contract, params, 'no such file');
  const type = TYPE[file.endsWith('.css') ? 'css' : 'js'];
  const ours = file === 'theme.css' ? DOCS_THEME_CSS : file === 'init.js' ? DOCS_INIT_JS : undefined;
  let text = ours;
  if (text === undefined) {
    // The working directory is the app's root (server/index.ts starts Next with dir: process.cwd()).
    if (!cache.has(file)) cache.set(file, readFile(join(process.cwd(), 'node_modules', 'swagger-ui-dist', file), 'utf8'));
    text = await cache.get(file)!;
  }
  return new Response(text, { headers: { 'content-type': type, 'cache-control': 'public, max-age=3600' } });
});
