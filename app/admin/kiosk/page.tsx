import { KioskAdmin } from '../../../components/admin/KioskAdmin';

export default function KioskPage() {
  return <KioskAdmin />;
}
