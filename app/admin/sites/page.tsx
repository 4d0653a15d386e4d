import { SitesAdmin } from '../../../components/admin/SitesAdmin';

export default function SitesPage() {
  return <SitesAdmin />;
}
