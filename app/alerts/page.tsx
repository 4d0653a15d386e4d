import { AlertFeed } from '../../components/alerts/AlertFeed';

export default function AlertsPage() {
  return <AlertFeed />;
}
