import { FederationAdmin } from '../../../components/admin/FederationAdmin';

export default function FederationPage() {
  return <FederationAdmin />;
}
