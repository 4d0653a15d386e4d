// Security headers for every response. Scripts run only from this origin or, inline, with this
// response's nonce: Next's App Router bootstraps with inline scripts and gives each the nonce it
// reads from the request's Content-Security-Policy header (next/dist/server/app-render/
// get-script-nonce-from-header.js), so the guard sets the same policy on the request it hands
// to Next as on the response. Styles keep 'unsafe-inline' (React style attributes; a nonce in
// style-src would switch that off). maplibre's module worker runs from same origin and blob:,
// deck.gl fetches its generated icon atlas as a data: URL, Socket.IO talks to this origin only.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // Next's dev server evaluates modules with eval; production needs no such thing.
    `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' data: blob:", // 'self' covers ws:/wss: to this host (CSP Level 3)
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/** Sets the headers, with a fresh nonce, on the response and the CSP on the request; returns the nonce. */
export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse, dev: boolean): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = contentSecurityPolicy(nonce, dev);
  // Only this server's policy reaches Next: a client-sent one is replaced.
  req.headers['content-security-policy'] = csp;
  delete req.headers['content-security-policy-report-only'];
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  return nonce;
}
