import { UsersAdmin } from '../../../components/admin/UsersAdmin';

export default function UsersPage() {
  return <UsersAdmin />;
}
