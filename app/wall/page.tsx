import type { Metadata } from 'next';
import WallPage from '../../components/wall/WallPage';

export const metadata: Metadata = { title: 'TransitWatch 监控中心大屏' };

export default function Wall() {
  return <WallPage />;
}
