import { useState } from 'react';
import { api, query } from '../../api/client.js';
import { EVENT_TYPES, type Delivery, type Endpoint } from '../../api/types.js';
import { StatusBadge } from '../../components/badges.js';
import { ErrorNotice } from '../../components/notice.js';
import { Time } from '../../components/time.js';
import { useEventStream } from '../../hooks/use-event-stream.js';
import { useInterval } from '../../hooks/use-interval.js';
import { usePagedList } from '../../hooks/use-paged-list.js';
import { navigate, useLocation } from '../../router.js';
import { DeliveryDetail } from './delivery-detail.js';

const STATUSES = ['pending', 'sending', 'succeeded', 'failed'];

/**
 * Every delivery, newest first, with filters kept in the URL. New deliveries and the outcome of
 * each attempt appear without a reload: the event stream nudges, a short poll catches the rest.
 */
export function DeliveryLogSection({ endpoints }: { endpoints: Endpoint[] }) {
  const { search } = useLocation();
  const filters = {
    endpoint_id: search.get('endpoint_id') ?? '',
    status: search.get('status') ?? '',
    event_type: search.get('event_type') ?? '',
    check_id: search.get('check_id') ?? '',
  };
  const deliveries = usePagedList(query(filters), async (cursor) => {
    const page = await api.get<{ data: Delivery[]; next_cursor: string | null }>(`/api/v1/deliveries${query({ ...filters, cursor, limit: 50 })}`);
    return { items: page.data, next: page.next_cursor };
  });
  const [selected, setSelected] = useState<string | null>(null);
  useInterval(() => void deliveries.reload(), 2000);
  useEventStream(() => void deliveries.reload());

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    const text = next.toString();
    navigate(`/settings/devtools${text ? `?${text}` : ''}`, { replace: true });
  };
  const urlOf = (id: string) => endpoints.find((endpoint) => endpoint.id === id)?.url ?? id;
  const rows = deliveries.items;
  const selectedRow = rows.find((row) => row.id === selected);

  return (
    <section className="card" aria-labelledby="deliveries-title" id="deliveries">
      <div className="card__header">
        <h2 id="deliveries-title">Delivery log</h2>
        <span className="small muted"><span className="live-dot" aria-hidden="true" /> Updates live</span>
      </div>
      <div className="filters">
        <label className="filters__select"><span>Endpoint</span>
          <select value={filters.endpoint_id} onChange={(e) => setFilter('endpoint_id', e.target.value)}>
            <option value="">All endpoints</option>
            {endpoints.map((endpoint) => <option key={endpoint.id} value={endpoint.id}>{endpoint.url}</option>)}
          </select>
        </label>
        <label className="filters__select"><span>Status</span>
          <select value={filters.status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">All statuses</option>
            {STATUSES.map((status) => <option key={status} value={status}>{status}</option>)}
          </select>
        </label>
        <label className="filters__select"><span>Event</span>
          <select value={filters.event_type} onChange={(e) => setFilter('event_type', e.target.value)}>
            <option value="">All events</option>
            {EVENT_TYPES.map(({ type }) => <option key={type} value={type}>{type}</option>)}
          </select>
        </label>
        {filters.check_id && <button type="button" className="btn btn--small" onClick={() => setFilter('check_id', '')}>Check {filters.check_id} ✕</button>}
      </div>
      <ErrorNotice error={deliveries.error} />
      <div className="table-wrap">
        <table className="table table--rows" aria-label="Deliveries">
          <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col" className="hide-narrow">Endpoint</th><th scope="col" className="hide-narrow">Attempts</th><th scope="col" className="hide-narrow">Last response</th><th scope="col">Created</th><th scope="col"><span className="visually-hidden">Details</span></th></tr></thead>
          <tbody>
            {rows.map((delivery) => (
              <tr key={delivery.id} className={delivery.id === selected ? 'is-selected' : undefined} data-testid="delivery-row">
                <td><code>{delivery.event_type}</code><div className="small muted mono">{delivery.check_id}</div></td>
                <td><StatusBadge status={delivery.status} /></td>
                <td className="hide-narrow small break">{urlOf(delivery.endpoint_id)}</td>
                <td className="hide-narrow">{delivery.attempt_count}</td>
                <td className="hide-narrow">{delivery.last_status_code ?? (delivery.last_error ? <span className="small">{delivery.last_error}</span> : '—')}</td>
                <td><Time iso={delivery.created_at} /></td>
                <td className="actions">
                  <button type="button" className="btn btn--small" aria-expanded={delivery.id === selected} onClick={() => setSelected(delivery.id === selected ? null : delivery.id)}>
                    {delivery.id === selected ? 'Hide' : 'Details'}
                  </button>
                </td>
              </tr>
            ))}
            {deliveries.loaded && rows.length === 0 && <tr><td colSpan={7} className="empty">No deliveries yet. Set a webhook URL above and send a test webhook, or simulate a test check.</td></tr>}
          </tbody>
        </table>
      </div>
      {deliveries.hasMore && (
        <div className="load-more"><button type="button" className="btn" onClick={() => void deliveries.loadMore()} disabled={deliveries.loadingMore}>{deliveries.loadingMore ? 'Loading…' : 'Load older deliveries'}</button></div>
      )}
      {selectedRow && <DeliveryDetail id={selectedRow.id} version={`${selectedRow.status}:${selectedRow.attempt_count}`} onResent={() => void deliveries.reload()} />}
    </section>
  );
}
