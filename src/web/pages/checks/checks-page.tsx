import { useState, type FormEvent } from 'react';
import { api, query } from '../../api/client.js';
import { CHECK_STEPS, type Check } from '../../api/types.js';
import { StepBadge, TestBadge, VerdictBadge } from '../../components/badges.js';
import { humanize } from '../../components/format.js';
import { PageHeader } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { Time } from '../../components/time.js';
import { useEventStream } from '../../hooks/use-event-stream.js';
import { useInterval } from '../../hooks/use-interval.js';
import { usePagedList } from '../../hooks/use-paged-list.js';
import { Link, navigate, useLocation } from '../../router.js';

export function customerName(check: Check): string {
  if (check.redacted_at) return 'Redacted';
  return check.customer ? `${check.customer.first_name} ${check.customer.last_name}`.trim() : '—';
}

/** All checks, newest first, filtered by step, mode and an exact check or order id; the filters live in the URL. */
export function ChecksPage() {
  const { search } = useLocation();
  const step = search.get('step') ?? '';
  const mode = search.get('mode') ?? '';
  const term = search.get('search') ?? '';
  const [draft, setDraft] = useState(term);
  const filters = { step, testing: mode === '' ? undefined : mode === 'test', search: term, limit: 50 };
  const checks = usePagedList(query(filters), async (cursor) => {
    const page = await api.get<{ data: Check[]; next_starting_after: string | null }>(`/api/v1/checks${query({ ...filters, starting_after: cursor })}`);
    return { items: page.data, next: page.next_starting_after };
  });
  // Checks move while the customer acts on them; keep the list current without a reload.
  useEventStream(() => void checks.reload());
  useInterval(() => void checks.reload(), 15_000);

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    const text = next.toString();
    navigate(`/checks${text ? `?${text}` : ''}`, { replace: true });
  };
  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    setFilter('search', draft.trim());
  };

  return (
    <>
      <PageHeader title="Checks" description="Every ID check you have sent, newest first." actions={<Link to="/checks/new" className="btn btn--primary">New check</Link>} />
      <div className="filters" role="search">
        <form onSubmit={submitSearch} className="filters__search">
          <label htmlFor="check-search" className="visually-hidden">Search by check id or order id</label>
          <input id="check-search" type="search" placeholder="Check id or order id" value={draft} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit" className="btn">Search</button>
        </form>
        <label className="filters__select">
          <span>Step</span>
          <select value={step} onChange={(e) => setFilter('step', e.target.value)}>
            <option value="">All steps</option>
            {CHECK_STEPS.map((value) => <option key={value} value={value}>{humanize(value)}</option>)}
          </select>
        </label>
        <label className="filters__select">
          <span>Mode</span>
          <select value={mode} onChange={(e) => setFilter('mode', e.target.value)}>
            <option value="">Test and live</option>
            <option value="test">Test only</option>
            <option value="live">Live only</option>
          </select>
        </label>
      </div>
      <ErrorNotice error={checks.error} />
      <div className="table-wrap card card--flush">
        <table className="table table--rows">
          <caption className="visually-hidden">Checks</caption>
          <thead><tr><th scope="col">Customer</th><th scope="col" className="hide-narrow">Order</th><th scope="col">Step</th><th scope="col" className="hide-narrow">Verdict</th><th scope="col" className="hide-narrow">Mode</th><th scope="col">Created</th></tr></thead>
          <tbody>
            {checks.items.map((check) => (
              <tr key={check.id}>
                <td>
                  <Link to={`/checks/${check.id}`} className="row-link">{customerName(check)}</Link>
                  <div className="muted small mono">{check.id}</div>
                </td>
                <td className="hide-narrow">{check.order ? (check.order.name ?? check.order.id) : <span className="muted">—</span>}</td>
                <td><StepBadge step={check.step} /></td>
                <td className="hide-narrow"><VerdictBadge verdict={check.result.verdict} /></td>
                <td className="hide-narrow"><TestBadge testing={check.testing} /></td>
                <td><Time iso={check.created_at} /></td>
              </tr>
            ))}
            {checks.loaded && checks.items.length === 0 && (
              <tr><td colSpan={6} className="empty">{step || mode || term ? 'No checks match these filters.' : 'No checks yet. Create one to send your customer a link.'}</td></tr>
            )}
            {!checks.loaded && checks.loading && <tr><td colSpan={6} className="empty">Loading checks…</td></tr>}
          </tbody>
        </table>
      </div>
      {checks.hasMore && (
        <div className="load-more"><button type="button" className="btn" onClick={() => void checks.loadMore()} disabled={checks.loadingMore}>{checks.loadingMore ? 'Loading…' : 'Load older checks'}</button></div>
      )}
    </>
  );
}
