import { WebhooksAdmin } from '../../../components/admin/WebhooksAdmin';

export default function WebhooksPage() {
  return <WebhooksAdmin />;
}
