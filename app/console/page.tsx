import ConsolePage from '../../components/console/ConsolePage';

export default function Console() {
  return <ConsolePage />;
}
