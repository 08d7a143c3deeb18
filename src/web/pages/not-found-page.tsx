import { PageHeader } from '../components/layout.js';
import { Link } from '../router.js';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" description="There is no page at this address." />
      <p><Link to="/checks">Go to your checks</Link></p>
    </>
  );
}
