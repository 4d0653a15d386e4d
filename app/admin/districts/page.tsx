import { DistrictsAdmin } from '../../../components/admin/DistrictsAdmin';

export default function DistrictsPage() {
  return <DistrictsAdmin />;
}
