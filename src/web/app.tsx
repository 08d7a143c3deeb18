import { useEffect } from 'react';
import { Layout } from './components/layout.js';
import { CheckDetailPage } from './pages/checks/check-detail-page.js';
import { ChecksPage } from './pages/checks/checks-page.js';
import { NewCheckPage } from './pages/checks/new-check-page.js';
import { CustomerCheckPage } from './pages/customer/customer-check-page.js';
import { DevToolsPage } from './pages/devtools/devtools-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { useDocumentTitle } from './hooks/use-document-title.js';
import { matchPath, navigate, useLocation } from './router.js';
import { SessionProvider, useSession } from './session.js';

function titleOf(pathname: string): string {
  if (pathname === '/checks/new') return 'New check';
  if (pathname.startsWith('/checks/')) return 'Check';
  if (pathname.startsWith('/checks')) return 'Checks';
  if (pathname.startsWith('/settings')) return 'DevTools';
  return '';
}

/** The merchant's pages, behind the sign-in. */
function Dashboard() {
  const { pathname } = useLocation();
  const { session } = useSession();

  useEffect(() => {
    if (session && (pathname === '/' || pathname === '/sign-in')) navigate('/checks', { replace: true });
  }, [session, pathname]);

  useDocumentTitle(session === null ? 'Sign in' : titleOf(pathname));
  if (session === undefined) return <div className="loading-screen" role="status">Loading…</div>;
  if (session === null) return <SignInPage />;

  let page;
  let params: Record<string, string> | null;
  if (pathname === '/checks') page = <ChecksPage />;
  else if (pathname === '/checks/new') page = <NewCheckPage />;
  else if ((params = matchPath('/checks/:id', pathname))) page = <CheckDetailPage id={params.id} />;
  else if (pathname === '/settings/devtools' || pathname === '/settings') page = <DevToolsPage />;
  else if (pathname === '/' || pathname === '/sign-in') page = null;
  else page = <NotFoundPage />;
  return <Layout>{page}</Layout>;
}

/** Customers open `/c/:token` without an account; everything else is the merchant's dashboard. */
export function App() {
  const { pathname } = useLocation();
  const customer = matchPath('/c/:token', pathname);
  if (customer) return <CustomerCheckPage token={customer.token} />;
  return <SessionProvider><Dashboard /></SessionProvider>;
}
