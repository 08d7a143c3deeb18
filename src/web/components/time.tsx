import { formatDateTime, formatRelative } from './format.js';

/** A time shown relative ("2 minutes ago") with the exact local time on hover and for screen readers. */
export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  return <time dateTime={iso} title={formatDateTime(iso)}>{formatRelative(iso)}</time>;
}
