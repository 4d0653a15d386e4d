// GET /api/docs — the API reference page: Swagger UI from this server (no CDN; works offline),
// dark to match the app, reading /api/openapi.json. No inline script: the page's CSP needs none.
export const dynamic = 'force-dynamic';

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TransitWatch 接口参考 · API reference</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="stylesheet" href="/api/docs/theme.css">
</head>
<body>
<header class="tw-head"><strong>TransitWatch 接口参考</strong><span>API reference · OpenAPI 3.1 · <a href="/api/openapi.json">openapi.json</a></span></header>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

export function GET(): Response {
  return new Response(PAGE, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } });
}
