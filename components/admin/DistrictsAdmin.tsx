'use client';
// The customs district tree (/admin/districts), supervisors only: HQ, the direct customs and their
// offices within the jurisdiction, each with who last changed it; a form to add an office (隶属海关)
// under a direct customs, its code starting with the parent's two digits.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { getJson } from '../getJson';
import { AdminShell, ChangedBy } from './AdminShell';
import { adminCall } from './adminApi';
import type { District } from './UsersAdmin';
import './peopleAdmin.css';

interface ListedDistrict extends District {
  hasArea: boolean;
  changedBy: string | null;
  changedAt: string | null;
}

const LEVEL_WORDS: Record<District['level'], string> = { hq: '总署 HQ', direct: '直属海关 Direct', office: '隶属海关 Office' };

function Node({ d, all }: { d: ListedDistrict; all: ListedDistrict[] }) {
  const children = all.filter((c) => c.parent === d.code);
  return (
    <li data-testid="district-node" data-code={d.code}>
      <div className="district-node">
        <span className="code">{d.code}</span>
        <span>
          {d.nameZh} <span className="secondary">{d.nameEn}</span>
        </span>
        <span className="level">{LEVEL_WORDS[d.level]}</span>
        {!d.hasArea && <span className="secondary">(未绘制辖区 · no area drawn)</span>}
        <span className="district-changed">
          <ChangedBy by={d.changedBy} at={d.changedAt} />
        </span>
      </div>
      {children.length > 0 && (
        <ul>
          {children.map((c) => (
            <Node key={c.code} d={c} all={all} />
          ))}
        </ul>
      )}
    </li>
  );
}

function DistrictsBody() {
  const [districts, setDistricts] = useState<ListedDistrict[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ parent: '', code: '', nameZh: '', nameEn: '' });

  const reload = useCallback(async () => {
    try {
      setDistricts((await getJson<{ districts: ListedDistrict[] }>('/api/districts')).districts);
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const list = districts ?? [];
  // The roots: districts whose parent is not in the list (HQ for HQ users, the user's own otherwise).
  const roots = list.filter((d) => !list.some((p) => p.code === d.parent));
  const directs = list.filter((d) => d.level === 'direct');
  const parent = form.parent || directs[0]?.code || '';

  const add = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setDone(null);
    adminCall<District>('POST', '/api/districts', { parent, code: form.code, nameZh: form.nameZh.trim(), nameEn: form.nameEn.trim() })
      .then(async (d) => {
        setDone(`已新增 ${d.code} ${d.nameZh} · Office added`);
        setForm({ parent, code: '', nameZh: '', nameEn: '' });
        setError(null);
        await reload();
      })
      .catch((err: Error) => setError(err.message))
      .finally(() => setBusy(false));
  };

  return (
    <>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="secondary" role="status">
          {done}
        </p>
      )}
      {directs.length > 0 ? (
        <form className="admin-form" onSubmit={add} aria-label="新增隶属海关 Add an office">
          <label>
            上级直属海关 Direct customs
            <select name="parent" value={parent} onChange={(e) => setForm({ ...form, parent: e.target.value })}>
              {directs.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.code} {d.nameZh} · {d.nameEn}
                </option>
              ))}
            </select>
          </label>
          <label>
            关区代码 Code
            <input
              name="code"
              required
              pattern="[0-9]{4}"
              title={`4 位,以 ${parent.slice(0, 2)} 开头`}
              placeholder={`${parent.slice(0, 2)}xx`}
              value={form.code}
              onChange={(e) => setForm({ ...form, code: e.target.value })}
            />
          </label>
          <label>
            中文名称 Name (zh)
            <input name="nameZh" required maxLength={60} value={form.nameZh} onChange={(e) => setForm({ ...form, nameZh: e.target.value })} placeholder="临港海关" />
          </label>
          <label>
            英文名称 Name (en)
            <input name="nameEn" required maxLength={60} value={form.nameEn} onChange={(e) => setForm({ ...form, nameEn: e.target.value })} placeholder="Lingang Customs" />
          </label>
          <button className="btn primary" type="submit" disabled={busy || !parent || !form.code || !form.nameZh.trim() || !form.nameEn.trim()}>
            新增 · Add office
          </button>
        </form>
      ) : (
        districts && <p className="secondary">您的关区下没有可新增隶属海关的直属海关 · No direct customs in your jurisdiction to add an office under</p>
      )}
      <section className="district-panel">
        {districts === null ? (
          <p className="secondary">加载中… · Loading…</p>
        ) : (
          <ul className="district-tree" data-testid="district-tree">
            {roots.map((d) => (
              <Node key={d.code} d={d} all={list} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

export function DistrictsAdmin() {
  return (
    <AdminShell zh="关区" en="Districts">
      <DistrictsBody />
    </AdminShell>
  );
}
