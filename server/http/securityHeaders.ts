// Security headers for every response. The CSP lets maplibre's module worker (same origin and
// blob:) and deck.gl's WebGL run; Next's App Router bootstraps with inline scripts, hence
// 'unsafe-inline' for scripts (no third-party script origin is allowed at all).
import type { ServerResponse } from 'node:http';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss: data: blob:", // deck.gl fetches its generated icon atlas (a data: URL)
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export function setSecurityHeaders(res: ServerResponse, dev: boolean): void {
  // Next's dev server evaluates modules with eval; production needs no such thing.
  res.setHeader('Content-Security-Policy', dev ? CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'") : CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}
