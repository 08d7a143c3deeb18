import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation } from '../router.js';
import { useSession, useSignedIn } from '../session.js';

const NAV = [
  { to: '/checks', label: 'Checks' },
  { to: '/settings/devtools', label: 'Settings › DevTools' },
];

/** The signed-in frame: the product name, the navigation, the account and sign-out. */
export function Layout({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  const session = useSignedIn();
  const { signOut } = useSession();
  const main = useRef<HTMLElement>(null);
  const firstPath = useRef(pathname);
  // After a navigation (not the first load), start screen readers and the keyboard at the new page.
  useEffect(() => {
    if (pathname !== firstPath.current) main.current?.focus({ preventScroll: true });
    firstPath.current = '';
  }, [pathname]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <Link to="/checks" className="brand" aria-label="Real ID home">
          <span className="brand__mark" aria-hidden="true">✓</span> Real ID
        </Link>
        <nav className="nav" aria-label="Main">
          {NAV.map((item) => (
            <Link key={item.to} to={item.to} className="nav__link" aria-current={pathname.startsWith(item.to) ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="account">
          <span className="account__name" title={session.user.email}>
            {session.account.name} <span className={`plan plan--${session.account.plan}`}>{session.account.plan}</span>
          </span>
          <button type="button" className="btn btn--ghost btn--small" onClick={() => void signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1} ref={main}>{children}</main>
    </div>
  );
}

export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {description && <p className="page-header__description">{description}</p>}
      </div>
      {actions && <div className="page-header__actions">{actions}</div>}
    </div>
  );
}
