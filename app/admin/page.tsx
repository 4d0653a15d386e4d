import { AdminShell } from '../../components/admin/AdminShell';
import { ADMIN_SECTIONS } from '../../components/admin/adminSections';

export default function AdminIndex() {
  return (
    <AdminShell zh="管理" en="Administration">
      <div className="admin-index">
        {ADMIN_SECTIONS.map((s) => (
          <a key={s.href} href={s.href}>
            <b>{s.zh}</b> <span className="secondary">{s.en}</span>
            <p>{s.about}</p>
          </a>
        ))}
      </div>
    </AdminShell>
  );
}
