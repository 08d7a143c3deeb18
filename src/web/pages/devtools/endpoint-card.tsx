import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Endpoint, EndpointPatched } from '../../api/types.js';
import { StatusBadge } from '../../components/badges.js';
import { formatPercent } from '../../components/format.js';
import { ErrorNotice, Notice } from '../../components/notice.js';
import { useAction } from '../../hooks/use-action.js';
import { Time } from '../../components/time.js';
import { RecoverDialog } from './recover-dialog.js';

type Tone = 'success' | 'danger' | 'warning' | 'neutral';

function healthOf(endpoint: Endpoint): { status: string; tone: Tone; text: string } {
  const { health } = endpoint;
  if (endpoint.disabled) return { status: 'disabled', tone: 'danger', text: endpoint.disabled_reason ?? health.disabled_reason ?? 'Disabled by hand.' };
  if (endpoint.failing_since) return { status: 'failing', tone: 'danger', text: 'Every delivery has failed since this time. After 5 days of failures the endpoint is disabled.' };
  // Re-enabled or new, with its latest attempt a failure: not failing for long, but not healthy either.
  if (health.last_failure_at && (!health.last_success_at || health.last_failure_at > health.last_success_at)) return { status: 'last attempt failed', tone: 'warning', text: '' };
  if (health.attempts_considered === 0 && !health.last_success_at) return { status: 'no deliveries yet', tone: 'neutral', text: '' };
  return { status: 'healthy', tone: 'success', text: '' };
}

/** One endpoint: its health, a test webhook, delivery options, disable / re-enable (offering recovery). */
export function EndpointCard({ endpoint, onChanged }: { endpoint: Endpoint; onChanged(): Promise<void> }) {
  const { busy, error, run } = useAction();
  const [message, setMessage] = useState<string | null>(null);
  const [recoverSince, setRecoverSince] = useState<string | null>(null);
  const [options, setOptions] = useState({ include_testing: endpoint.include_testing, ordered: endpoint.ordered, rate: endpoint.rate_limit_per_second?.toString() ?? '' });
  const health = healthOf(endpoint);

  const act = async (work: () => Promise<string>) => {
    setMessage(null);
    const said = await run(work);
    if (said) setMessage(said);
    await onChanged();
  };

  const sendTest = () => act(async () => {
    await api.post(`/api/v1/webhook-endpoints/${endpoint.id}/test`);
    return 'Test webhook sent: it appears in the delivery log below.';
  });
  const setDisabled = (disabled: boolean) => act(async () => {
    const patched = await api.patch<EndpointPatched>(`/api/v1/webhook-endpoints/${endpoint.id}`, { disabled });
    if (disabled) return 'Endpoint disabled: no new deliveries go to it.';
    // Re-enabled after an outage: offer to send what the endpoint missed meanwhile.
    if (patched.recovery && patched.recovery.missed > 0) {
      setRecoverSince(patched.recovery.since);
      return `Endpoint enabled again. It missed ${patched.recovery.missed} webhook${patched.recovery.missed === 1 ? '' : 's'} while it was failing.`;
    }
    return 'Endpoint enabled again.';
  });
  const saveOptions = () => act(async () => {
    const rate = options.rate.trim() === '' ? null : Number(options.rate);
    await api.patch(`/api/v1/webhook-endpoints/${endpoint.id}`, { include_testing: options.include_testing, ordered: options.ordered, rate_limit_per_second: rate });
    return 'Options saved.';
  });

  return (
    <article className="endpoint" aria-label={`Endpoint ${endpoint.url}`}>
      <div className="endpoint__head">
        <span className="endpoint__url">{endpoint.url}</span>
        <StatusBadge status={health.status} tone={health.tone} />
      </div>
      <p className="small muted">{endpoint.events.length === 0 ? 'All events' : endpoint.events.join(', ')}</p>
      {endpoint.disabled && <Notice tone="warning" title={<>Disabled <Time iso={endpoint.disabled_at} /></>}>{health.text} Fix the receiver, then enable it again.</Notice>}
      {!endpoint.disabled && endpoint.failing_since && <Notice tone="warning" title={<>Failing since <Time iso={endpoint.failing_since} /></>}>{health.text}</Notice>}
      <div className="stats">
        <div><span className="stat__value">{formatPercent(endpoint.health.success_rate)}</span><span className="stat__label">success rate{endpoint.health.attempts_considered ? `, last ${endpoint.health.attempts_considered} attempts` : ''}</span></div>
        <div><span className="stat__value"><Time iso={endpoint.health.last_success_at} /></span><span className="stat__label">last success</span></div>
        <div><span className="stat__value"><Time iso={endpoint.health.last_failure_at} /></span><span className="stat__label">last failure</span></div>
      </div>
      <ErrorNotice error={error} />
      {message && <Notice tone="success">{message}</Notice>}
      <div className="button-row">
        <button type="button" className="btn" disabled={busy || endpoint.disabled} onClick={() => void sendTest()}>Send test webhook</button>
        <button type="button" className="btn" disabled={busy} onClick={() => setRecoverSince(endpoint.failing_since ?? new Date(Date.now() - 86_400_000).toISOString())}>Recover failed…</button>
        {endpoint.disabled
          ? <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void setDisabled(false)}>Enable again</button>
          : <button type="button" className="btn btn--danger-ghost" disabled={busy} onClick={() => void setDisabled(true)}>Disable</button>}
      </div>
      <details className="options">
        <summary>Delivery options</summary>
        <label className="checkbox"><input type="checkbox" checked={options.include_testing} onChange={(e) => setOptions({ ...options, include_testing: e.target.checked })} /> Also send events of test checks</label>
        <label className="checkbox"><input type="checkbox" checked={options.ordered} onChange={(e) => setOptions({ ...options, ordered: e.target.checked })} /> In order per check (a check's next event waits until the previous one was delivered or given up)</label>
        <div className="inline-form inline-form--tight">
          <div className="field">
            <label htmlFor={`rate-${endpoint.id}`}>Rate limit (webhooks per second)</label>
            <input id={`rate-${endpoint.id}`} type="number" min={1} inputMode="numeric" placeholder="No limit" value={options.rate} onChange={(e) => setOptions({ ...options, rate: e.target.value })} className="input--short" />
          </div>
          <button type="button" className="btn" disabled={busy} onClick={() => void saveOptions()}>Save options</button>
        </div>
      </details>
      {recoverSince && (
        <RecoverDialog endpoint={endpoint} since={recoverSince} onCancel={() => setRecoverSince(null)} onDone={(said) => { setRecoverSince(null); setMessage(said); void onChanged(); }} />
      )}
    </article>
  );
}
