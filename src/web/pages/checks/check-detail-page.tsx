import { api } from '../../api/client.js';
import type { Check } from '../../api/types.js';
import { StepBadge, TestBadge } from '../../components/badges.js';
import { CopyButton } from '../../components/copy-button.js';
import { PageHeader } from '../../components/layout.js';
import { ErrorNotice, Notice } from '../../components/notice.js';
import { Time } from '../../components/time.js';
import { useEventStream } from '../../hooks/use-event-stream.js';
import { useInterval } from '../../hooks/use-interval.js';
import { useResource } from '../../hooks/use-resource.js';
import { Link } from '../../router.js';
import { CheckActions } from './check-actions.js';
import { CheckPhotos } from './check-photos.js';
import { CheckTimeline } from './check-timeline.js';
import { CheckVerdict } from './check-verdict.js';
import { customerName } from './checks-page.js';
import { SimulatePanel } from './simulate-panel.js';

const FINISHED = new Set(['completed', 'failed']);

/** How the customer got the link: by email, by text, or only into the server log (neither is configured). */
function LinkDelivery({ sent }: { sent: Check['link_delivery'][number] }) {
  const how = sent.channel === 'email' ? 'by email' : sent.channel === 'sms' ? 'by text message' : null;
  if (!how) return <p className="small muted">No email or SMS is configured: the link was written to the server log <Time iso={sent.at} />. Copy it to the customer yourself.</p>;
  if (sent.status === 'failed') return <p className="small verdict-error">Sending the link {how} failed <Time iso={sent.at} />{sent.error ? `: ${sent.error}` : ''}. Copy it to the customer yourself.</p>;
  return <p className="small muted">Link sent {how} <Time iso={sent.at} />.</p>;
}

/** One check: who, where it stands, the verdict and its sub-checks, the photos, the timeline, and what the merchant can do. */
export function CheckDetailPage({ id }: { id: string }) {
  const check = useResource(id, () => api.get<Check>(`/api/v1/checks/${encodeURIComponent(id)}?withPhotos=true`));
  const data = check.data;
  // Follow the customer live: each of the check's events reloads it; a slow poll covers a dropped stream.
  useEventStream(() => void check.reload(), id);
  useInterval(() => void check.reload(), data && !FINISHED.has(data.step) ? 10_000 : null);

  if (!data) {
    return (
      <>
        <p><Link to="/checks">← All checks</Link></p>
        {check.error ? <ErrorNotice error={check.error} title="This check cannot be shown" /> : <p role="status">Loading the check…</p>}
      </>
    );
  }

  const reload = () => void check.reload();
  return (
    <>
      <p className="breadcrumb"><Link to="/checks">← All checks</Link></p>
      <PageHeader
        title={<>{customerName(data)} <StepBadge step={data.step} /> <TestBadge testing={data.testing} /></>}
        description={<span className="mono">{data.id}</span>}
      />
      <ErrorNotice error={check.error} />
      {data.redacted_at && <Notice tone="info" title="Redacted">The photos and personal data of this check were deleted <Time iso={data.redacted_at} />.</Notice>}
      {data.result.awaiting_manual_review && <Notice tone="warning" title="Waiting for your review">No analyzer is configured for live checks: look at the photos and approve or reject.</Notice>}
      <div className="detail-grid">
        <div className="stack">
          <CheckVerdict check={data} />
          <CheckPhotos check={data} />
          <CheckTimeline check={data} />
        </div>
        <div className="stack">
          <section className="card" aria-labelledby="summary-title">
            <h2 id="summary-title">Details</h2>
            <dl className="facts">
              <dt>Email</dt><dd>{data.customer?.email ?? '—'}</dd>
              <dt>Phone</dt><dd>{data.customer?.phone ?? '—'}</dd>
              <dt>Order</dt><dd>{data.order ? `${data.order.name ?? ''} ${data.order.name ? `(${data.order.id})` : data.order.id}` : '—'}</dd>
              <dt>Verifies</dt><dd>{data.rules.id_check_type === 'idv' ? 'ID and selfie' : 'ID only'}{data.rules.include_back_of_id ? ', back of ID' : ''}{data.rules.min_age ? `, age ${data.rules.min_age}+` : ''}</dd>
              <dt>Created</dt><dd><Time iso={data.created_at} /></dd>
              <dt>Updated</dt><dd><Time iso={data.updated_at} /></dd>
            </dl>
            {data.link && (
              <div className="link-box">
                <span className="small muted">Customer link</span>
                <div className="secret-row"><a href={data.link} className="mono small break" target="_blank" rel="noreferrer">{data.link}</a><CopyButton value={data.link} label="Copy link" /></div>
              </div>
            )}
            {data.link_delivery.map((sent) => <LinkDelivery key={sent.at + sent.channel} sent={sent} />)}
          </section>
          {data.testing && !FINISHED.has(data.step) && !data.redacted_at && <SimulatePanel check={data} onChanged={reload} />}
          <CheckActions check={data} onChanged={reload} />
        </div>
      </div>
    </>
  );
}
