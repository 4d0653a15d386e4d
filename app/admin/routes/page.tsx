import { RoutesAdmin } from '../../../components/admin/RoutesAdmin';

export default function RoutesPage() {
  return <RoutesAdmin />;
}
