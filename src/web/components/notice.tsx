import type { ReactNode } from 'react';

/** A message in the flow of the page; errors are announced to screen readers as they appear. */
export function Notice({ tone = 'info', title, children }: { tone?: 'info' | 'success' | 'warning' | 'error'; title?: ReactNode; children?: ReactNode }) {
  return (
    <div className={`notice notice--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title && <strong className="notice__title">{title}</strong>}
      {children && <div className="notice__body">{children}</div>}
    </div>
  );
}

/** The error of a failed request, or nothing. */
export function ErrorNotice({ error, title }: { error: Error | null | undefined; title?: string }) {
  if (!error) return null;
  return <Notice tone="error" title={title}>{error.message}</Notice>;
}
