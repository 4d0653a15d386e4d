import LivePage from '../components/LivePage';

export default function Home() {
  return <LivePage />;
}
