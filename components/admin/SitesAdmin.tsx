'use client';
// /admin/sites: designated sites (监管场所) and zones (restricted, anchorage, bonded) as polygons
// drawn on the map: a click adds a vertex, handles drag, the ring closes itself. Kind, code, names
// and district beside it; a zone may carry its Golden Customs II area code. GeoJSON, KML and GPX
// come in; GeoJSON and KML go out. Saved through POST /api/sites and /api/zones, where the server
// checks the polygon, the jurisdiction (as stored and as written) and audits the change.
import { useCallback, useEffect, useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import dynamic from 'next/dynamic';
import area from '@turf/area';
import type { Feature, Polygon } from 'geojson';
import { SITE_KINDS, ZONE_KINDS } from '../../lib/domain';
import { ringOf, type ControlPoint } from '../../lib/drawing';
import { getJson } from '../getJson';
import { AdminShell, ChangedBy, useMe } from './AdminShell';
import { adminCall } from './adminApi';
import { exportFeatures, firstPolygon, readGeoFile } from './geoFiles';
import './routes.css';

const EditMap = dynamic(() => import('./map/EditMap'), { ssr: false });

type What = 'site' | 'zone';
interface AreaProps {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: string;
  district: string | null;
  areaCode?: string | null;
  changedBy: string | null;
  changedAt: string | null;
}
type AreaFeature = Feature<Polygon, AreaProps> & { what: What };

const KIND_ZH: Record<string, string> = {
  port_terminal: '港口码头',
  bonded_zone: '保税区',
  warehouse: '监管仓库',
  inspection: '查验场地',
  border: '口岸',
  restricted: '限制区域',
  anchorage: '锚地',
  bonded: '保税区(金关二期)',
};

const EMPTY = { code: '', nameZh: '', nameEn: '', kind: '', district: '', areaCode: '' };
type Form = typeof EMPTY;

export function SitesAdmin() {
  return (
    <AdminShell zh="场所与区域" en="Sites & zones" wide>
      <SitesEditor />
    </AdminShell>
  );
}

function SitesEditor() {
  const me = useMe();
  const [items, setItems] = useState<AreaFeature[]>([]);
  const [districts, setDistricts] = useState<{ code: string; nameZh: string }[]>([]);
  const [what, setWhat] = useState<What>('site');
  const [selected, setSelected] = useState<string | null>(null); // '' = new
  const [form, setForm] = useState<Form>(EMPTY);
  const [points, setPoints] = useState<ControlPoint[]>([]);
  const [fitKey, setFitKey] = useState('start');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const [s, z, d] = await Promise.all([
      getJson<{ features: Feature<Polygon, AreaProps>[] }>('/api/sites'),
      getJson<{ features: Feature<Polygon, AreaProps>[] }>('/api/zones'),
      getJson<{ districts: { code: string; nameZh: string }[] }>('/api/districts'),
    ]);
    setItems([...s.features.map((f) => ({ ...f, what: 'site' as const })), ...z.features.map((f) => ({ ...f, what: 'zone' as const }))]);
    setDistricts(d.districts);
  }, []);
  useEffect(() => {
    load().catch((e: Error) => setError(e.message));
  }, [load]);

  const open = (f: AreaFeature | null, kind: What = what) => {
    setError(null);
    setNotice(null);
    setFitKey(`${f?.properties.code ?? 'new'}-${Date.now()}`);
    if (!f) {
      setWhat(kind);
      setSelected('');
      setForm({ ...EMPTY, kind: kind === 'site' ? SITE_KINDS[0] : ZONE_KINDS[0], district: me.district });
      setPoints([]);
      return;
    }
    const p = f.properties;
    setWhat(f.what);
    setSelected(`${f.what}:${p.code}`);
    setForm({ code: p.code, nameZh: p.nameZh, nameEn: p.nameEn, kind: p.kind, district: p.district ?? '', areaCode: p.areaCode ?? '' });
    setPoints((f.geometry.coordinates[0] ?? []).slice(0, -1).map((c) => ({ pos: [c[0]!, c[1]!] })));
  };

  const ring = useMemo(() => ringOf(points), [points]);
  const areaKm2 = ring ? area({ type: 'Polygon', coordinates: [ring] }) / 1e6 : 0;
  const context = useMemo<Feature[]>(() => items.filter((f) => `${f.what}:${f.properties.code}` !== selected), [items, selected]);
  const set = (k: keyof Form) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [k]: e.target.value });

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!ring) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    const geometry = { type: 'Polygon', coordinates: [ring] };
    const props = { code: form.code, nameZh: form.nameZh, nameEn: form.nameEn, kind: form.kind, district: form.district };
    try {
      const body = what === 'site' ? { ...props, area: geometry } : { type: 'Feature', geometry, properties: { ...props, areaCode: form.areaCode || null } };
      const saved = await adminCall<{ created: boolean }>('POST', what === 'site' ? '/api/sites' : '/api/zones', body);
      setNotice(`${saved.created ? '已创建' : '已保存'} ${form.code} · ${saved.created ? 'Created' : 'Saved'}`);
      setSelected(`${what}:${form.code}`);
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
    try {
      const poly = firstPolygon(await readGeoFile(file));
      if (!poly) throw new Error(`${file.name}: 没有多边形 · no polygon in the file`);
      const p = poly.properties;
      const text = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
      open(null);
      setForm((f) => ({
        ...f,
        code: text('code'),
        nameZh: text('nameZh') || text('name'),
        nameEn: text('nameEn'),
        kind: text('kind') || f.kind,
        district: text('district') || f.district,
      }));
      setPoints(poly.coords.map((c) => ({ pos: [c[0], c[1]] })));
      setNotice(`已导入 ${file.name},核对后保存 · Imported, check and save`);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const kinds = what === 'site' ? SITE_KINDS : ZONE_KINDS;
  const current = (): Feature[] => (ring ? [{ type: 'Feature', properties: { ...form }, geometry: { type: 'Polygon', coordinates: [ring] } }] : []);

  return (
    <div className="routes-admin">
      <section className="routes-side">
        <div className="routes-toolbar">
          <button className="btn primary" type="button" onClick={() => open(null, 'site')}>
            新建场所 · New site
          </button>
          <button className="btn" type="button" onClick={() => open(null, 'zone')}>
            新建区域 · New zone
          </button>
          <label className="btn file-btn">
            导入 · Import
            <input type="file" accept=".geojson,.json,.kml,.gpx" onChange={importFile} />
          </label>
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
          <form className="admin-form route-form" onSubmit={save} aria-label="场所 Site">
            <label>
              类别 Type
              <input value={what === 'site' ? '监管场所 Site' : '区域 Zone'} readOnly />
            </label>
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
              种类 Kind
              <select value={form.kind} onChange={set('kind')} name="kind">
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {KIND_ZH[k] ?? k} · {k}
                  </option>
                ))}
              </select>
            </label>
            <label>
              关区 District
              <select value={form.district} onChange={set('district')} required name="district">
                {districts.map((d) => (
                  <option key={d.code} value={d.code}>
                    {d.code} {d.nameZh}
                  </option>
                ))}
              </select>
            </label>
            {what === 'zone' && (
              <label>
                区域代码 Area code
                <input value={form.areaCode} onChange={set('areaCode')} maxLength={20} name="areaCode" />
              </label>
            )}
            <div className="route-drawing">
              <span className="secondary" data-testid="area-stats">
                {points.length} 顶点 · {areaKm2.toFixed(2)} km²
              </span>
              <button className="btn" type="button" disabled={!points.length} onClick={() => setPoints(points.slice(0, -1))}>
                撤销 · Undo
              </button>
              <button className="btn" type="button" disabled={!points.length} onClick={() => setPoints([])}>
                清除 · Clear
              </button>
              <button className="btn" type="button" disabled={!ring} onClick={() => exportFeatures(form.code || what, current(), 'geojson')}>
                GeoJSON
              </button>
              <button className="btn" type="button" disabled={!ring} onClick={() => exportFeatures(form.code || what, current(), 'kml')}>
                KML
              </button>
            </div>
            <p className="secondary hint">在地图上单击添加顶点(自动闭合),拖动顶点修改 · Click to add vertices (the ring closes itself); drag to move</p>
            <div className="filter-actions">
              <button className="btn primary" type="submit" disabled={busy || !ring}>
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
              <th>编码 Code</th>
              <th>名称 Name</th>
              <th>种类 Kind</th>
              <th>关区</th>
              <th>最后修改 Changed</th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => {
              const p = f.properties;
              const key = `${f.what}:${p.code}`;
              return (
                <tr key={key} className={key === selected ? 'on' : ''} onClick={() => open(f)} data-testid="area-row">
                  <td className="mono">{p.code}</td>
                  <td>{p.nameZh}</td>
                  <td>
                    {f.what === 'zone' ? '区域 · ' : ''}
                    {KIND_ZH[p.kind] ?? p.kind}
                  </td>
                  <td className="mono">{p.district ?? '—'}</td>
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
        <EditMap mode="polygon" points={points} onChange={setPoints} snap={false} context={context} preview={null} fitKey={fitKey} />
      </section>
    </div>
  );
}
