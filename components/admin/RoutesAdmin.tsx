'use client';
// /admin/routes: approved routes drawn on the map. A click adds a point, snapped when asked to the
// basemap's roads and the other approved routes (two points on one line follow it); handles drag; the corridor shows live at
// its half-width. Origin and destination sites, the approval period and the route's own rules
// thresholds are set beside it. GeoJSON, KML and GPX come in; GeoJSON and KML go out. Saving goes
// through the same REST as everything else (POST /api/routes, PUT /api/routes/{code}/rules), so
// the server decides jurisdiction, limits and audit.
import { useCallback, useDeferredValue, useEffect, useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import dynamic from 'next/dynamic';
import buffer from '@turf/buffer';
import length from '@turf/length';
import area from '@turf/area';
import { lineString } from '@turf/helpers';
import type { Feature, LineString } from 'geojson';
import { pathOf, type ControlPoint } from '../../lib/drawing';
import { getJson } from '../getJson';
import { AdminShell, ChangedBy } from './AdminShell';
import { adminCall } from './adminApi';
import { exportFeatures, firstLine, readGeoFile } from './geoFiles';
import { localInput, fromLocalInput } from './localTime';
import './routes.css';

const EditMap = dynamic(() => import('./map/EditMap'), { ssr: false });

interface RouteProps {
  code: string;
  nameZh: string;
  nameEn: string;
  corridorM: number;
  from: string;
  to: string;
  validFrom: string | null;
  validUntil: string | null;
  changedBy: string | null;
  changedAt: string | null;
}
type RouteFeature = Feature<LineString, RouteProps>;
interface SiteProps {
  code: string;
  nameZh: string;
  kind: string;
  district: string;
}

/** The thresholds a route most often needs of its own (server/rules/routeRules.ts has them all). */
const RULE_FIELDS: [key: string, zh: string, en: string][] = [
  ['deviationMinFixes', '偏离判定点数', 'deviation fixes'],
  ['deviationMinSpanS', '偏离持续 秒', 'deviation span s'],
  ['stopMinS', '异常停车 秒', 'stop after s'],
  ['stopSpeedKmh', '停车速度 km/h', 'stop speed km/h'],
  ['expectedIntervalS', '上报间隔 秒', 'report interval s'],
  ['signalLostMinS', '信号丢失 秒', 'signal lost after s'],
  ['wrongSiteDwellS', '非指定场所停留 秒', 'wrong-site dwell s'],
];

const EMPTY = { code: '', nameZh: '', nameEn: '', from: '', to: '', corridorM: 500, validFrom: '', validUntil: '' };
type Form = typeof EMPTY;

export function RoutesAdmin() {
  return (
    <AdminShell zh="路线" en="Routes" wide>
      <RoutesEditor />
    </AdminShell>
  );
}

function RoutesEditor() {
  const [routes, setRoutes] = useState<RouteFeature[]>([]);
  const [sites, setSites] = useState<Feature[]>([]);
  const [selected, setSelected] = useState<string | null>(null); // '' = a new route
  const [form, setForm] = useState<Form>(EMPTY);
  const [points, setPoints] = useState<ControlPoint[]>([]);
  const [snap, setSnap] = useState(true);
  const [storedRules, setStoredRules] = useState<Record<string, unknown>>({});
  const [rules, setRules] = useState<Record<string, string>>({});
  const [fitKey, setFitKey] = useState('start');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const [r, s] = await Promise.all([getJson<{ features: RouteFeature[] }>('/api/routes'), getJson<{ features: Feature[] }>('/api/sites')]);
    setRoutes(r.features);
    setSites(s.features);
  }, []);
  useEffect(() => {
    load().catch((e: Error) => setError(e.message));
  }, [load]);

  const open = async (f: RouteFeature | null) => {
    setError(null);
    setNotice(null);
    if (!f) {
      setSelected('');
      setForm(EMPTY);
      setPoints([]);
      setStoredRules({});
      setRules({});
      setFitKey(`new-${Date.now()}`);
      return;
    }
    const p = f.properties;
    setSelected(p.code);
    setForm({
      code: p.code,
      nameZh: p.nameZh,
      nameEn: p.nameEn,
      from: p.from,
      to: p.to,
      corridorM: p.corridorM,
      validFrom: localInput(p.validFrom),
      validUntil: localInput(p.validUntil),
    });
    setPoints(f.geometry.coordinates.map((c) => ({ pos: [c[0]!, c[1]!] })));
    setFitKey(`${p.code}-${Date.now()}`);
    try {
      const stored = await getJson<{ rules: Record<string, unknown> }>(`/api/routes/${encodeURIComponent(p.code)}/rules`);
      setStoredRules(stored.rules);
      setRules(Object.fromEntries(RULE_FIELDS.map(([k]) => [k, stored.rules[k] === undefined ? '' : String(stored.rules[k])])));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const path = useMemo(() => pathOf(points), [points]);
  const deferredPath = useDeferredValue(path);
  const deferredWidth = useDeferredValue(form.corridorM);
  const corridor = useMemo(() => {
    if (deferredPath.length < 2 || !(deferredWidth > 0)) return null;
    return buffer(lineString(deferredPath), deferredWidth, { units: 'meters' }) ?? null;
  }, [deferredPath, deferredWidth]);
  const lengthKm = path.length > 1 ? length(lineString(path), { units: 'kilometers' }) : 0;
  const areaKm2 = corridor ? area(corridor) / 1e6 : 0;

  const context = useMemo<Feature[]>(() => [...sites, ...routes.filter((r) => r.properties.code !== selected)], [sites, routes, selected]);
  const siteOptions = useMemo(() => sites.map((s) => s.properties as SiteProps).sort((a, b) => a.code.localeCompare(b.code)), [sites]);

  const set = (k: keyof Form) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [k]: k === 'corridorM' ? Number(e.target.value) : e.target.value });

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const saved = await adminCall('POST', '/api/routes', {
        code: form.code,
        nameZh: form.nameZh,
        nameEn: form.nameEn,
        from: form.from,
        to: form.to,
        corridorM: form.corridorM,
        path: { type: 'LineString', coordinates: path },
        validFrom: fromLocalInput(form.validFrom),
        validUntil: fromLocalInput(form.validUntil),
      });
      // The route's own thresholds: the fields shown replace theirs; the others stored stay.
      const next: Record<string, unknown> = Object.fromEntries(Object.entries(storedRules).filter(([k]) => !RULE_FIELDS.some(([f]) => f === k)));
      for (const [k] of RULE_FIELDS) if (rules[k]?.trim()) next[k] = Number(rules[k]);
      if (JSON.stringify(next) !== JSON.stringify(storedRules)) {
        const r = await adminCall('PUT', `/api/routes/${encodeURIComponent(form.code)}/rules`, next);
        setStoredRules(r.rules as Record<string, unknown>);
      }
      setNotice(`${saved.created ? '已创建' : '已保存'} ${form.code} · ${saved.created ? 'Created' : 'Saved'}`);
      setSelected(form.code);
      await load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const importFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setError(null);
    try {
      const line = firstLine(await readGeoFile(file));
      if (!line) throw new Error(`${file.name}: 没有线要素 · no line in the file`);
      const p = line.properties;
      const text = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
      setSelected('');
      setForm({
        ...EMPTY,
        code: text('code'),
        nameZh: text('nameZh') || text('name'),
        nameEn: text('nameEn'),
        from: text('from'),
        to: text('to'),
        corridorM: typeof p.corridorM === 'number' ? p.corridorM : EMPTY.corridorM,
      });
      setPoints(line.coords.map((c) => ({ pos: [c[0], c[1]] })));
      setFitKey(`import-${Date.now()}`);
      setNotice(`已导入 ${file.name}(${line.coords.length} 点),核对后保存 · Imported, check and save`);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const current = (): Feature[] => [
    {
      type: 'Feature',
      properties: { code: form.code, nameZh: form.nameZh, nameEn: form.nameEn, from: form.from, to: form.to, corridorM: form.corridorM },
      geometry: { type: 'LineString', coordinates: path },
    },
  ];

  return (
    <div className="routes-admin">
      <section className="routes-side">
        <div className="routes-toolbar">
          <button className="btn primary" type="button" onClick={() => open(null)}>
            新建路线 · New
          </button>
          <label className="btn file-btn">
            导入 · Import
            <input type="file" accept=".geojson,.json,.kml,.gpx" onChange={importFile} data-testid="route-import" />
          </label>
          <button className="btn" type="button" disabled={!routes.length} onClick={() => exportFeatures('routes', routes, 'geojson')}>
            全部导出 · Export all
          </button>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {notice && (
          <p className="admin-notice" role="status">
            {notice}
          </p>
        )}
        {selected !== null && (
          <form className="admin-form route-form" onSubmit={save} aria-label="路线 Route">
            <label>
              编码 Code
              <input value={form.code} onChange={set('code')} required maxLength={32} readOnly={selected !== ''} name="code" />
            </label>
            <label>
              名称 Name (中文)
              <input value={form.nameZh} onChange={set('nameZh')} required maxLength={100} name="nameZh" />
            </label>
            <label>
              Name (English)
              <input value={form.nameEn} onChange={set('nameEn')} required maxLength={100} name="nameEn" />
            </label>
            <label>
              起运场所 Origin
              <select value={form.from} onChange={set('from')} required name="from">
                <option value="">—</option>
                {siteOptions.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.code} {s.nameZh}
                  </option>
                ))}
              </select>
            </label>
            <label>
              指运场所 Destination
              <select value={form.to} onChange={set('to')} required name="to">
                <option value="">—</option>
                {siteOptions.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.code} {s.nameZh}
                  </option>
                ))}
              </select>
            </label>
            <label className="corridor-width">
              走廊半宽 Corridor half-width: <b>{form.corridorM} m</b>
              <input type="range" min={50} max={3000} step={50} value={form.corridorM} onChange={set('corridorM')} name="corridorM" />
            </label>
            <label>
              有效期自 Valid from
              <input type="datetime-local" value={form.validFrom} onChange={set('validFrom')} name="validFrom" />
            </label>
            <label>
              有效期至 Valid until
              <input type="datetime-local" value={form.validUntil} onChange={set('validUntil')} name="validUntil" />
            </label>
            <fieldset className="route-rules">
              <legend>规则阈值(留空用默认)· Rules thresholds (blank: default)</legend>
              {RULE_FIELDS.map(([k, zh, en]) => (
                <label key={k} title={en}>
                  {zh}
                  <input inputMode="decimal" value={rules[k] ?? ''} onChange={(e) => setRules({ ...rules, [k]: e.target.value })} name={`rule-${k}`} placeholder="默认" />
                </label>
              ))}
            </fieldset>
            <div className="route-drawing">
              <label className="check">
                <input type="checkbox" checked={snap} onChange={(e) => setSnap(e.target.checked)} /> 吸附道路与已批路线 Snap to roads and routes
              </label>
              <span className="secondary" data-testid="route-stats" data-vertices={path.length}>
                {points.length} 点 · {lengthKm.toFixed(1)} km · 走廊 {areaKm2.toFixed(1)} km²
              </span>
              <button className="btn" type="button" disabled={!points.length} onClick={() => setPoints(points.slice(0, -1))}>
                撤销 · Undo
              </button>
              <button className="btn" type="button" disabled={!points.length} onClick={() => setPoints([])}>
                清除 · Clear
              </button>
              <button className="btn" type="button" disabled={path.length < 2} onClick={() => exportFeatures(form.code || 'route', current(), 'geojson')}>
                GeoJSON
              </button>
              <button className="btn" type="button" disabled={path.length < 2} onClick={() => exportFeatures(form.code || 'route', current(), 'kml')}>
                KML
              </button>
            </div>
            <p className="secondary hint">在地图上单击添加路点,拖动路点修改 · Click the map to add points; drag a point to move it</p>
            <div className="filter-actions">
              <button className="btn primary" type="submit" disabled={busy || path.length < 2}>
                保存 · Save
              </button>
              <button className="btn" type="button" onClick={() => setSelected(null)}>
                关闭 · Close
              </button>
            </div>
          </form>
        )}
        <table className="admin-table routes-table">
          <thead>
            <tr>
              <th>路线 Route</th>
              <th>起止 From → To</th>
              <th className="num">走廊 m</th>
              <th>有效期 Valid</th>
              <th>最后修改 Changed</th>
            </tr>
          </thead>
          <tbody>
            {routes.map((r) => {
              const p = r.properties;
              return (
                <tr key={p.code} className={p.code === selected ? 'on' : ''} onClick={() => open(r)} data-testid="route-row">
                  <td>
                    <span className="mono">{p.code}</span>
                    <div className="secondary">{p.nameZh}</div>
                  </td>
                  <td className="mono">
                    {p.from} → {p.to}
                  </td>
                  <td className="num">{p.corridorM}</td>
                  <td>{validity(p.validFrom, p.validUntil)}</td>
                  <td>
                    <ChangedBy by={p.changedBy} at={p.changedAt} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section className="routes-map">
        <EditMap mode="line" points={points} onChange={setPoints} snap={snap} context={context} preview={corridor} fitKey={fitKey} />
      </section>
    </div>
  );
}

function validity(from: string | null, until: string | null): string {
  const d = (iso: string) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
  if (!from && !until) return '长期 · open';
  return `${from ? d(from) : '…'} – ${until ? d(until) : '…'}`;
}
