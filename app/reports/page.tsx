import type { Metadata } from 'next';
import ReportsPage from '../../components/reports/ReportsPage';

export const metadata: Metadata = { title: 'TransitWatch 统计报表 · Reports' };

export default function Reports() {
  return <ReportsPage />;
}
