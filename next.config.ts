import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Types are checked by `npm test` (tsc --noEmit); the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
  // Server-only packages stay out of the bundles; route handlers reach them through server/context.
  serverExternalPackages: ['pg', '@electric-sql/pglite', '@electric-sql/pglite-postgis', '@electric-sql/pglite-socket', 'pino'],
};

export default config;
