// The one place that says how to launch Debian's Chromium with WebGL headless here
// (see ../shared/NOTES.md): ANGLE over EGL on Mesa's llvmpipe, and no calls home.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--use-angle=gl-egl',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--no-sandbox',
];
