import { Link } from 'react-router';
import { usePageTitle } from '../components/ui';

export default function NotFound() {
  usePageTitle('Not found');
  return (
    <>
      <h1>No such page</h1>
      <p>
        <Link to="/incidents">Go to the incidents</Link>.
      </p>
    </>
  );
}
