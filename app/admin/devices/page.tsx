import { DevicesAdmin } from '../../../components/admin/DevicesAdmin';

export default function DevicesPage() {
  return <DevicesAdmin />;
}
