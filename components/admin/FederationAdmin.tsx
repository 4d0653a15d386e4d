'use client';
// Federation (/admin/federation), on the national node, HQ supervisors: the regional deployments that
// forward here with their link state (cursor, lag, last batch), provisioning and revoking one (its
// secret shown once), verifying a region's forwarded ledger, and the regions' movements and alerts,
// each with its source region (来源关区). server/federation/README.md.
import { useState, type FormEvent } from 'react';
import { AdminShell } from './AdminShell';
import { adminCall, useAdminList } from './adminApi';
import { ShownOnce } from './ShownOnce';
import { When } from './When';
import { getJson } from '../getJson';
import { formatTime } from '../../lib/format';

interface Region {
  id: number;
  code: string;
  name: string;
  revokedAt: string | null;
  lastSeq: number;
  headSeq: number;
  lag: number;
  lastBatchAt: string | null;
}

interface Finding {
  seq: number;
  kind: string;
  reason: string;
  check: string;
}

interface Verified {
  ok: boolean;
  entries: number;
  checkpoints: number;
  positionRows: number;
  rows: number;
  lastSeq: number;
  findings: Finding[];
  findingsTotal: number;
}

interface FedRecord {
  region: string;
  regionName: string;
  id: string;
  seq: number;
  doc: Record<string, unknown>;
}

// The region's status words, as the console says them (UI.md).
const STATUS: Record<string, string> = {
  planned: '计划 planned',
  in_transit: '在途 in transit',
  arrived: '已到达 arrived',
  diverted: '改道 diverted',
  overdue: '超时 overdue',
  closed: '已结束 closed',
  cancelled: '已撤销 cancelled',
  open: '未处理 open',
  acknowledged: '已确认 acknowledged',
  resolved: '已处置 resolved',
};
const text = (v: unknown) => (v === undefined || v === null ? '—' : String(v));
const time = (v: unknown) => (typeof v === 'string' ? formatTime(Date.parse(v)) : '—');

function Source({ r }: { r: FedRecord }) {
  return (
    <td data-testid="source-region">
      {r.regionName} <span className="secondary mono">{r.region}</span>
    </td>
  );
}

function FederationBody() {
  const { items: regions, error, setError, reload } = useAdminList<Region>('/api/federation/regions');
  const { items: movements, reload: reloadMovements } = useAdminList<FedRecord>('/api/federation/records?table=consignments');
  const { items: alerts, reload: reloadAlerts } = useAdminList<FedRecord>('/api/federation/records?table=alerts');
  const [form, setForm] = useState({ code: '', name: '' });
  const [secret, setSecret] = useState<{ code: string; secret: string } | null>(null);
  const [verified, setVerified] = useState<Record<number, Verified>>({});
  const [busy, setBusy] = useState(false);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      await Promise.all([reload(), reloadMovements(), reloadAlerts()]);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const issue = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const r = await adminCall<{ code: string; secret: string }>('POST', '/api/federation/regions', { code: form.code.trim(), name: form.name.trim() });
      setSecret({ code: r.code, secret: r.secret });
      setForm({ code: '', name: '' });
    });
  };

  const verify = (id: number) => act(async () => setVerified({ ...verified, [id]: await getJson<Verified>(`/api/federation/regions/${id}/verify`) }));

  return (
    <>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {secret && (
        <ShownOnce title={`关区 ${secret.code} 的密钥(仅显示一次) · Its secret, shown once`} value={secret.secret} onDone={() => setSecret(null)}>
          写入该关区部署的 FEDERATION_SECRET_FILE(权限 600)。 · Put it in that deployment&apos;s FEDERATION_SECRET_FILE (mode 600).
        </ShownOnce>
      )}
      <form className="admin-form" onSubmit={issue} aria-label="接入关区 Provision a region">
        <label>
          代码 Code
          <input name="code" required pattern="[a-z0-9][a-z0-9_\-]{1,39}" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} placeholder="shanghai" />
        </label>
        <label>
          名称 Name
          <input name="name" required maxLength={100} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="上海关区" />
        </label>
        <button className="btn primary" type="submit" disabled={busy || !form.code || !form.name}>
          接入 · Provision
        </button>
        <button className="btn" type="button" disabled={busy} onClick={() => void act(async () => {})}>
          刷新 · Refresh
        </button>
      </form>

      <h2>
        关区 <span className="secondary">Regions</span>
      </h2>
      <table className="admin-table" data-testid="regions-table">
        <thead>
          <tr>
            <th>关区 Region</th>
            <th>链路 Link</th>
            <th>最近批次 Last batch</th>
            <th>已收序号 Last seq</th>
            <th>滞后 Lag</th>
            <th>账本核验 Ledger check</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {regions?.length === 0 && (
            <tr>
              <td colSpan={7} className="secondary">
                暂无关区 · No regions
              </td>
            </tr>
          )}
          {regions?.map((r) => {
            const v = verified[r.id];
            return (
              <tr key={r.id} data-testid="region-row" className={r.revokedAt ? 'muted' : ''}>
                <td>
                  <b>{r.name}</b> <span className="secondary mono">{r.code}</span>
                </td>
                <td>
                  <span className={`state-pill ${r.revokedAt ? 'off' : 'on'}`}>
                    {r.revokedAt ? '⊘ 已注销 Revoked' : r.lastBatchAt ? '● 已接入 Linked' : '○ 未收到 Nothing yet'}
                  </span>
                </td>
                <td>
                  <When at={r.lastBatchAt} never="从未 · never" />
                </td>
                <td className="mono" data-testid="region-seq">
                  {r.lastSeq}
                </td>
                <td className="mono">{r.lag}</td>
                <td data-testid="region-verify">
                  {!v && <span className="secondary">未核验 · not checked</span>}
                  {v?.ok && (
                    <span className="state-pill on">
                      ✓ 一致 Verified · {v.entries} 条 entries, {v.checkpoints} 检查点 checkpoints
                    </span>
                  )}
                  {v && !v.ok && (
                    <span className="form-error">
                      ✗ {v.findingsTotal} 处不一致 findings · 首个 first: seq {v.findings[0]?.seq} ({v.findings[0]?.check}) {v.findings[0]?.reason}
                    </span>
                  )}
                </td>
                <td>
                  <button className="btn" type="button" disabled={busy} onClick={() => void verify(r.id)}>
                    核验 · Verify
                  </button>
                  {!r.revokedAt && (
                    <button
                      className="btn"
                      type="button"
                      disabled={busy}
                      onClick={() =>
                        window.confirm(`注销关区 ${r.name}?其转发将被拒绝。 · Revoke: its batches are refused from now on.`) &&
                        act(() => adminCall('DELETE', `/api/federation/regions/${r.id}`))
                      }
                    >
                      注销 · Revoke
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <h2>
        关区监管运输 <span className="secondary">Regions&apos; movements</span>
      </h2>
      <table className="admin-table" data-testid="fed-movements">
        <thead>
          <tr>
            <th>来源关区 Source region</th>
            <th>编号 Reference</th>
            <th>状态 Status</th>
            <th>启运 Departure</th>
            <th>时限 Deadline</th>
            <th>涉及关区 Districts</th>
          </tr>
        </thead>
        <tbody>
          {movements?.length === 0 && (
            <tr>
              <td colSpan={6} className="secondary">
                暂无 · None yet
              </td>
            </tr>
          )}
          {movements?.map((m) => (
            <tr key={`${m.region}:${m.id}`} data-testid="fed-movement">
              <Source r={m} />
              <td className="mono">{text(m.doc.reference)}</td>
              <td>{STATUS[text(m.doc.status)] ?? text(m.doc.status)}</td>
              <td>{time(m.doc.departure)}</td>
              <td>{time(m.doc.deadline)}</td>
              <td className="mono">{Array.isArray(m.doc.districts) ? m.doc.districts.join(', ') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>
        关区告警 <span className="secondary">Regions&apos; alerts</span>
      </h2>
      <table className="admin-table" data-testid="fed-alerts">
        <thead>
          <tr>
            <th>来源关区 Source region</th>
            <th>类型 Type</th>
            <th>级别 Severity</th>
            <th>时间 Time</th>
            <th>状态 State</th>
          </tr>
        </thead>
        <tbody>
          {alerts?.length === 0 && (
            <tr>
              <td colSpan={5} className="secondary">
                暂无 · None yet
              </td>
            </tr>
          )}
          {alerts?.map((a) => (
            <tr key={`${a.region}:${a.id}`} data-testid="fed-alert">
              <Source r={a} />
              <td className="mono">{text(a.doc.type)}</td>
              <td>{text(a.doc.severity)}</td>
              <td>{time(a.doc.time)}</td>
              <td>
                {STATUS[text(a.doc.state)] ?? text(a.doc.state)}
                {a.doc.cleared_at ? <span className="secondary"> · 已解除 cleared</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function FederationAdmin() {
  return (
    <AdminShell zh="全国联网" en="Federation" wide>
      <FederationBody />
    </AdminShell>
  );
}
