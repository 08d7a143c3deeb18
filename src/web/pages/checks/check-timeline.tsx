import { api, query } from '../../api/client.js';
import type { Check, ListOf, WebhookEvent } from '../../api/types.js';
import { formatDateTime } from '../../components/format.js';
import { ErrorNotice } from '../../components/notice.js';
import { useResource } from '../../hooks/use-resource.js';
import { Link } from '../../router.js';

const EVENT_TEXT: Record<string, string> = {
  'check.delivered': 'Check created and the link delivered',
  'check.opened': 'The customer opened the link',
  'check.submitted-photo': 'A photo was accepted',
  'check.completed': 'Check completed',
  'check.failed': 'Check failed',
  'customer.data_request': 'The customer asked for a copy of their data',
  'customer.manual_review_requested': 'The customer asked for a manual review',
  'customer.data_deletion_request': 'The customer asked for their data to be deleted',
};

/** The check's events in order, as its webhooks announced them (re-read whenever the check changes). */
export function CheckTimeline({ check }: { check: Check }) {
  const key = `${check.id}:${check.updated_at}`;
  const events = useResource(key, () => api.get<ListOf<WebhookEvent>>(`/api/v1/events${query({ check_id: check.id, limit: 100 })}`));
  const list = [...(events.data?.data ?? [])].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  return (
    <section className="card" aria-labelledby="timeline-title">
      <div className="card__header">
        <h2 id="timeline-title">Timeline</h2>
        <Link to={`/settings/devtools?check_id=${encodeURIComponent(check.id)}#deliveries`} className="small">Webhook deliveries →</Link>
      </div>
      <ErrorNotice error={events.error} />
      <ol className="timeline">
        {list.map((event) => (
          <li key={event.id} className={`timeline__item timeline__item--${event.type.replace(/\W/g, '-')}`}>
            <span className="timeline__dot" aria-hidden="true" />
            <div>
              <div>{EVENT_TEXT[event.type] ?? event.type}</div>
              <div className="small muted"><code>{event.type}</code> · <time dateTime={event.created_at}>{formatDateTime(event.created_at)}</time></div>
            </div>
          </li>
        ))}
        {events.data && list.length === 0 && <li className="muted">No events yet.</li>}
      </ol>
    </section>
  );
}
