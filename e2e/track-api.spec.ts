// The track and journey endpoints over HTTP against the real server: time window, simplification,
// the three export formats, jurisdiction, and a 400 with the reason for every bad parameter.
import { test, expect, request as playwrightRequest } from '@playwright/test';
import { apiAs } from './signIn';

interface Listed {
  id: number;
  districts: string[];
  asset: { id: number };
}

test('track: window, simplification, GeoJSON/GPX/KML, jurisdiction, and 400 with the reason', async ({ baseURL }) => {
  const hq = await apiAs(baseURL!, 'hq-viewer');
  const list = (await (await hq.get('/api/consignments?status=in_transit&limit=200')).json()).items as Listed[];
  const to = Date.now() + 120_000;
  const from = to - 3_600_000;
  // A Shanghai movement whose truck reports (the demo scripts some silences).
  let c: Listed | undefined;
  await expect
    .poll(
      async () => {
        for (const x of list.filter((y) => y.districts.includes('2200')).slice(0, 12)) {
          const n = (await (await hq.get(`/api/assets/${x.asset.id}/track?from=${from}&to=${to}`)).json()).geometry.coordinates.length;
          if (n > 2) {
            c = x;
            return true;
          }
        }
        return false;
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  const url = (q: string) => `/api/assets/${c!.asset.id}/track?${q}`;

  // GeoJSON: one LineString with a time per vertex, in order, inside the window.
  const res = await hq.get(url(`from=${from}&to=${to}`));
  expect(res.headers()['content-type']).toContain('application/json');
  const f = await res.json();
  expect(f.type).toBe('Feature');
  expect(f.geometry.type).toBe('LineString');
  expect(f.properties.times).toHaveLength(f.geometry.coordinates.length);
  expect(f.properties.times.every((t: number, i: number, a: number[]) => t >= from && t < to && (i === 0 || t > a[i - 1]!))).toBe(true);
  expect(f.properties.simplified).toBe(false);

  // A narrower window holds fewer fixes; a zoom on a short track leaves it whole (simplified past 2,000 fixes).
  const mid = f.properties.times[Math.floor(f.properties.times.length / 2)];
  const half = await (await hq.get(url(`from=${mid}&to=${to}`))).json();
  expect(half.geometry.coordinates.length).toBeLessThan(f.geometry.coordinates.length);
  expect((await (await hq.get(url(`from=${from}&to=${to}&zoom=5`))).json()).properties.simplified).toBe(false);

  const gpx = await hq.get(url(`from=${from}&to=${to}&format=gpx`));
  expect(gpx.headers()['content-type']).toContain('application/gpx+xml');
  expect(gpx.headers()['content-disposition']).toMatch(/attachment; filename="track-\d+-\d{4}-\d{2}-\d{2}\.gpx"/);
  expect(((await gpx.text()).match(/<trkpt /g) ?? []).length).toBeGreaterThanOrEqual(f.geometry.coordinates.length);
  const kml = await hq.get(url(`from=${from}&to=${to}&format=kml`));
  expect(kml.headers()['content-type']).toContain('application/vnd.google-earth.kml+xml');
  expect(((await kml.text()).match(/<gx:coord>/g) ?? []).length).toBeGreaterThanOrEqual(f.geometry.coordinates.length);

  // Bad parameters: 400 and the reason, naming the parameter.
  const bad: [string, RegExp][] = [
    [`to=${to}`, /^from: /],
    [`from=yesterday&to=${to}`, /^from: /],
    [`from=${to}&to=${from}`, /^to: to must be after from/],
    [`from=${to - 8 * 86_400_000}&to=${to}`, /^to: the window may be at most 7 days/],
    [`from=${from}&to=${to}&format=shp`, /^format: /],
    [`from=${from}&to=${to}&zoom=99`, /^zoom: /],
  ];
  for (const [q, reason] of bad) {
    const r = await hq.get(url(q));
    expect(r.status(), q).toBe(400);
    expect((await r.json()).error, q).toMatch(reason);
  }
  const badId = await hq.get(`/api/assets/12x/track?from=${from}&to=${to}`);
  expect(badId.status()).toBe(400);
  expect((await badId.json()).error).toMatch(/^id: /);

  // Outside the jurisdiction it does not exist; without a session, nothing.
  const nb = await apiAs(baseURL!, 'nb-officer');
  const foreign = list.find((x) => x.districts.every((d) => d === '0000' || d.startsWith('22')))!;
  expect((await nb.get(`/api/assets/${foreign.asset.id}/track?from=${from}&to=${to}`)).status()).toBe(404);
  expect((await nb.get(`/api/consignments/${foreign.id}/journey`)).status()).toBe(404);
  const anon = await playwrightRequest.newContext({ baseURL });
  expect((await anon.get(url(`from=${from}&to=${to}`))).status()).toBe(401);

  // The journey: 400 with the reason for a bad window too.
  const j = await hq.get(`/api/consignments/${c!.id}/journey?from=${to}&to=${from}`);
  expect(j.status()).toBe(400);
  expect((await j.json()).error).toMatch(/^to: to must be after from/);
  const ok = await (await hq.get(`/api/consignments/${c!.id}/journey`)).json();
  expect(ok.consignment.id).toBe(c!.id);
  expect(ok.route.corridorM).toBeGreaterThan(0);
  expect(ok.track.fixes.length).toBeGreaterThan(2);
});
