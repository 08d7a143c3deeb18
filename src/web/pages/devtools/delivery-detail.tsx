import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Attempt, DeliveryDetail as Detail } from '../../api/types.js';
import { StatusBadge } from '../../components/badges.js';
import { formatDateTime } from '../../components/format.js';
import { ErrorNotice, Notice } from '../../components/notice.js';
import { useAction } from '../../hooks/use-action.js';
import { useResource } from '../../hooks/use-resource.js';

function headersText(headers: Record<string, string> | null | undefined): string {
  return headers ? Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\n') : '';
}

function prettyBody(body: string | null | undefined): string {
  if (!body) return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function AttemptView({ attempt }: { attempt: Attempt }) {
  return (
    <div className="attempt">
      <div className="attempt__head">
        <strong>Attempt {attempt.attempt_number}</strong>
        <StatusBadge status={attempt.succeeded ? 'succeeded' : 'failed'} />
        <span>{attempt.response ? `HTTP ${attempt.response.status}` : attempt.error_kind ?? 'no response'}</span>
        <span className="muted">{attempt.duration_ms} ms</span>
        <span className="muted">{formatDateTime(attempt.started_at)}</span>
        {attempt.trigger === 'manual' && <span className="badge">manual</span>}
      </div>
      <div className="attempt__body">
        <div>
          <h4 className="small muted">Request · {attempt.request.method} <span className="break">{attempt.url}</span></h4>
          <pre className="code" aria-label="Request headers">{headersText(attempt.request.headers)}</pre>
          <pre className="code" aria-label="Request body">{prettyBody(attempt.request.body)}</pre>
        </div>
        <div>
          <h4 className="small muted">Response</h4>
          {attempt.error_message && <p className="small verdict-error">{attempt.error_message}</p>}
          <pre className="code" aria-label="Response headers">{headersText(attempt.response?.headers) || '(none)'}</pre>
          <pre className="code" aria-label="Response body">{prettyBody(attempt.response?.body) || '(empty)'}</pre>
        </div>
      </div>
    </div>
  );
}

/** One delivery with every attempt (what was sent, what came back, how long it took) and a resend. */
export function DeliveryDetail({ id, version, onResent }: { id: string; version: string; onResent(): void }) {
  const detail = useResource(`${id}:${version}`, () => api.get<Detail>(`/api/v1/deliveries/${id}`));
  const { busy, error, run } = useAction();
  const [resent, setResent] = useState(false);

  const resend = async () => {
    if (!(await run(() => api.post(`/api/v1/deliveries/${id}/resend`).then(() => true)))) return;
    setResent(true);
    onResent();
  };

  const data = detail.data;
  const attempts = [...(data?.attempts ?? [])].sort((a, b) => b.attempt_number - a.attempt_number);
  return (
    <section className="card delivery-detail" aria-labelledby="delivery-detail-title">
      <div className="card__header">
        <h3 id="delivery-detail-title">Delivery <span className="mono small">{id}</span></h3>
        <button type="button" className="btn" onClick={() => void resend()} disabled={busy || !data || data.status === 'pending' || data.status === 'sending'}>Resend</button>
      </div>
      <ErrorNotice error={error ?? detail.error} />
      {resent && <Notice tone="success">Queued to be sent again now; the new attempt appears here.</Notice>}
      {data && (
        <>
          <p className="small muted">
            <code>{data.event_type}</code> · check <span className="mono">{data.check_id}</span> · webhook-id <span className="mono">{data.event_id}</span>
          </p>
          {attempts.length === 0 && <p className="muted">No attempt yet: it is queued.</p>}
          {attempts.length === 0 && <pre className="code" aria-label="Webhook body">{prettyBody(data.payload)}</pre>}
          {attempts.map((attempt) => <AttemptView key={attempt.id} attempt={attempt} />)}
        </>
      )}
    </section>
  );
}
