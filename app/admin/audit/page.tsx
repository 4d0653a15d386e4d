import { AuditLog } from '../../../components/admin/AuditLog';

export default function AuditPage() {
  return <AuditLog />;
}
