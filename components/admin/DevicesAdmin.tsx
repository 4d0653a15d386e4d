'use client';
// Vehicles and devices (/admin/devices), supervisors only: register a vehicle (plate, JT/T 808
// plate colour, home district) with its terminal, or bind a terminal to a vehicle already known; the
// terminals with their authentication state, last contact, expected reporting interval (editable),
// last change, and reset / revoke. An OsmAnd secret is shown once. The server decides jurisdiction.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { getJson } from '../getJson';
import { AdminShell, ChangedBy, useMe } from './AdminShell';
import { adminCall, useAdminList } from './adminApi';
import { ShownOnce } from './ShownOnce';
import { When } from './When';
import { districtLabel, useDistricts } from './UsersAdmin';
import './peopleAdmin.css';

/** JT/T 808 (JT/T 697.7) plate colours. */
const PLATE_COLOURS: [number, string][] = [
  [1, '蓝 Blue'],
  [2, '黄 Yellow'],
  [3, '黑 Black'],
  [4, '白 White'],
  [5, '绿 Green'],
  [9, '其他 Other'],
];

interface Device {
  id: number;
  protocol: 'jt808' | 'osmand';
  ident: string;
  asset: { id: number; key: string; label: string | null; district: string | null };
  state: 'never' | 'registered' | 'authenticated' | 'refused';
  stateAt: string | null;
  lastContact: string | null;
  lastAddress: string | null;
  createdAt: string;
  revokedAt: string | null;
  reportIntervalS: number | null;
  changedBy: string | null;
  changedAt: string | null;
}

interface Vehicle {
  id: number;
  key: string;
  label: string | null;
  plate: string | null;
  district: string | null;
}

const STATE_WORDS: Record<Device['state'] | 'revoked', [string, string]> = {
  never: ['○ 已登记,未接入 Provisioned', 'off'],
  registered: ['◐ 已注册 Registered', 'warn'],
  authenticated: ['● 已鉴权 Authenticated', 'on'],
  refused: ['✕ 鉴权失败 Refused', 'warn'],
  revoked: ['⊘ 已吊销 Revoked', 'off'],
};

type Protocol = 'jt808' | 'osmand';
const deviceBody = (asset: string, protocol: Protocol, ident: string) => ({ asset, [protocol]: ident.trim() });

function ProtocolFields({ protocol, ident, onProtocol, onIdent }: { protocol: Protocol; ident: string; onProtocol: (p: Protocol) => void; onIdent: (v: string) => void }) {
  return (
    <fieldset>
      <label>
        终端类型 Device type
        <select name="protocol" value={protocol} onChange={(e) => onProtocol(e.target.value as Protocol)}>
          <option value="jt808">JT/T 808 终端 · terminal</option>
          <option value="osmand">OsmAnd / Traccar Client</option>
        </select>
      </label>
      <label>
        {protocol === 'jt808' ? '终端手机号 Terminal phone number' : '设备 ID Device id'}
        <input
          name="ident"
          value={ident}
          onChange={(e) => onIdent(e.target.value)}
          {...(protocol === 'jt808'
            ? { pattern: '[0-9]{1,20}', placeholder: '013912345678', inputMode: 'numeric' as const }
            : { pattern: '[A-Za-z0-9._\\-]{1,64}', placeholder: '862345' })}
        />
      </label>
    </fieldset>
  );
}

function IntervalCell({ device, busy, onSave }: { device: Device; busy: boolean; onSave: (s: number | null) => void }) {
  // The row keys this cell by the stored interval, so a saved value starts it afresh.
  const [value, setValue] = useState(device.reportIntervalS === null ? '' : String(device.reportIntervalS));
  const changed = value !== (device.reportIntervalS === null ? '' : String(device.reportIntervalS));
  if (device.revokedAt) return <span className="secondary">{device.reportIntervalS ?? '—'}</span>;
  return (
    <form
      className="interval"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(value.trim() === '' ? null : Number(value));
      }}
    >
      <input
        aria-label={`${device.ident} 上报间隔(秒) Report interval (s)`}
        type="number"
        min={1}
        max={86400}
        placeholder="默认"
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <span className="secondary">秒</span>
      <button className="btn" type="submit" disabled={busy || !changed}>
        保存 · Save
      </button>
    </form>
  );
}

function DevicesBody() {
  const me = useMe();
  const districts = useDistricts();
  const { items: devices, error, setError, reload } = useAdminList<Device>('/api/devices?revoked=1');
  const [vehicles, setVehicles] = useState<Vehicle[]>([]);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<{ ident: string; secret: string; urlQuery?: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [vehicle, setVehicle] = useState({ plate: '', plateColor: 1, district: '', label: '', protocol: 'jt808' as Protocol, ident: '' });
  const [bind, setBind] = useState({ asset: '', protocol: 'jt808' as Protocol, ident: '' });

  const loadVehicles = useCallback(async () => setVehicles(await getJson<Vehicle[]>('/api/assets?kind=vehicle&limit=1000').catch(() => [])), []);
  useEffect(() => {
    void loadVehicles();
  }, [loadVehicles]);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setDone(null);
    try {
      await fn();
      await reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const registered = (d: Device & { secret?: string; urlQuery?: string }) => {
    if (d.secret) setSecret({ ident: d.ident, secret: d.secret, urlQuery: d.urlQuery });
    setDone(`已登记 ${d.asset.label ?? d.asset.key} 的终端 ${d.ident} · Registered`);
  };

  const registerVehicle = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const asset = await adminCall<Vehicle>('POST', '/api/assets', {
        kind: 'vehicle',
        plate: vehicle.plate.trim(),
        plateColor: vehicle.plateColor,
        district: vehicle.district || me.district,
        ...(vehicle.label.trim() && { label: vehicle.label.trim() }),
      });
      await loadVehicles();
      setVehicle({ ...vehicle, plate: '', label: '', ident: '' });
      if (vehicle.ident.trim()) registered(await adminCall('POST', '/api/devices', deviceBody(asset.key, vehicle.protocol, vehicle.ident)));
      else setDone(`已登记车辆 ${asset.label ?? asset.key} · Vehicle registered`);
    });
  };

  const bindDevice = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      registered(await adminCall('POST', '/api/devices', deviceBody(bind.asset, bind.protocol, bind.ident)));
      setBind({ ...bind, ident: '' });
    });
  };

  const reset = (d: Device) =>
    window.confirm(
      d.protocol === 'jt808'
        ? `重置终端 ${d.ident}?它须重新注册以获取新鉴权码。 · Reset: the terminal registers again.`
        : `重置设备 ${d.ident}?将生成新密钥,旧密钥失效。 · Reset: a new secret.`,
    ) &&
    act(async () => {
      const r = await adminCall<{ secret?: string; urlQuery?: string }>('POST', `/api/devices/${d.id}/reset`);
      if (r.secret) setSecret({ ident: d.ident, secret: r.secret, urlQuery: r.urlQuery });
    });

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
      {secret && (
        <ShownOnce title={`${secret.ident}: OsmAnd 设备密钥(仅显示一次) · Device secret, shown once`} value={secret.secret} onDone={() => setSecret(null)}>
          在设备的服务器地址后加上 <code>{secret.urlQuery}</code> · Add it to the server URL the device is given.
        </ShownOnce>
      )}
      <h2 className="admin-section-title">登记车辆及终端 · Register a vehicle and its device</h2>
      <form className="admin-form" onSubmit={registerVehicle} aria-label="登记车辆 Register a vehicle">
        <label>
          车牌 Plate
          <input
            name="plate"
            required
            minLength={2}
            maxLength={16}
            value={vehicle.plate}
            onChange={(e) => setVehicle({ ...vehicle, plate: e.target.value })}
            placeholder="沪D·12345"
          />
        </label>
        <label>
          车牌颜色 Plate colour
          <select name="plateColor" value={vehicle.plateColor} onChange={(e) => setVehicle({ ...vehicle, plateColor: Number(e.target.value) })}>
            {PLATE_COLOURS.map(([code, words]) => (
              <option key={code} value={code}>
                {code} {words}
              </option>
            ))}
          </select>
        </label>
        <label>
          所属关区 Home district
          <select name="district" value={vehicle.district || me.district} onChange={(e) => setVehicle({ ...vehicle, district: e.target.value })}>
            {districts.map((d) => (
              <option key={d.code} value={d.code}>
                {districtLabel(d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          名称 Label <span className="secondary">(可选 · optional)</span>
          <input name="label" value={vehicle.label} onChange={(e) => setVehicle({ ...vehicle, label: e.target.value })} />
        </label>
        <ProtocolFields
          protocol={vehicle.protocol}
          ident={vehicle.ident}
          onProtocol={(protocol) => setVehicle({ ...vehicle, protocol })}
          onIdent={(ident) => setVehicle({ ...vehicle, ident })}
        />
        <button className="btn primary" type="submit" disabled={busy || !vehicle.plate.trim()}>
          登记 · Register
        </button>
      </form>
      <h2 className="admin-section-title">为已有车辆绑定终端 · Bind a device to a known vehicle</h2>
      <form className="admin-form" onSubmit={bindDevice} aria-label="绑定终端 Bind a device">
        <label>
          车辆 Vehicle
          <select name="asset" required value={bind.asset} onChange={(e) => setBind({ ...bind, asset: e.target.value })}>
            <option value="">— 选择车辆 · choose —</option>
            {vehicles.map((v) => (
              <option key={v.id} value={v.key}>
                {v.label ?? v.plate ?? v.key} {v.district ? `(${v.district})` : ''}
              </option>
            ))}
          </select>
        </label>
        <ProtocolFields protocol={bind.protocol} ident={bind.ident} onProtocol={(protocol) => setBind({ ...bind, protocol })} onIdent={(ident) => setBind({ ...bind, ident })} />
        <button className="btn primary" type="submit" disabled={busy || !bind.asset || !bind.ident.trim()}>
          绑定 · Bind
        </button>
      </form>
      <table className="admin-table" data-testid="devices-table">
        <thead>
          <tr>
            <th>终端 Device</th>
            <th>车辆 Vehicle</th>
            <th>鉴权状态 Authentication</th>
            <th>最后联络 Last contact</th>
            <th>上报间隔 Report interval</th>
            <th>最近修改 Last change</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {devices === null && (
            <tr>
              <td colSpan={7} className="secondary">
                加载中… · Loading…
              </td>
            </tr>
          )}
          {devices?.length === 0 && (
            <tr>
              <td colSpan={7} className="secondary">
                暂无终端 · No devices
              </td>
            </tr>
          )}
          {devices?.map((d) => {
            const [words, tone] = STATE_WORDS[d.revokedAt ? 'revoked' : d.state];
            return (
              <tr key={d.id} data-testid="device-row" data-ident={d.ident} className={d.revokedAt ? 'muted' : ''}>
                <td>
                  <b className="mono">{d.ident}</b>
                  <div className="secondary">{d.protocol === 'jt808' ? 'JT/T 808' : 'OsmAnd'}</div>
                </td>
                <td>
                  {d.asset.label ?? d.asset.key}
                  <div className="secondary mono">{d.asset.district ?? ''}</div>
                </td>
                <td>
                  <span className={`state-pill ${tone}`} data-testid="device-state">
                    {words}
                  </span>
                  <div>
                    <When at={d.revokedAt ?? d.stateAt} />
                  </div>
                </td>
                <td>
                  <When at={d.lastContact} never="从未 · never" />
                  {d.lastAddress && <div className="secondary mono">{d.lastAddress}</div>}
                </td>
                <td>
                  <IntervalCell
                    key={String(d.reportIntervalS)}
                    device={d}
                    busy={busy}
                    onSave={(s) => act(() => adminCall('PATCH', `/api/devices/${d.id}`, { reportIntervalS: s }))}
                  />
                </td>
                <td>
                  <ChangedBy by={d.changedBy} at={d.changedAt} />
                </td>
                <td>
                  {!d.revokedAt && (
                    <div className="row-actions">
                      <button className="btn" type="button" disabled={busy} onClick={() => reset(d)}>
                        重置 · Reset
                      </button>
                      <button
                        className="btn"
                        type="button"
                        disabled={busy}
                        onClick={() =>
                          window.confirm(`吊销终端 ${d.ident}?其连接将立即断开。 · Revoke: its connections close.`) && act(() => adminCall('DELETE', `/api/devices/${d.id}`))
                        }
                      >
                        吊销 · Revoke
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

export function DevicesAdmin() {
  return (
    <AdminShell zh="车辆与终端" en="Vehicles & devices" wide>
      <DevicesBody />
    </AdminShell>
  );
}
