import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import { EVENT_TYPES, type Endpoint } from '../../api/types.js';
import { Field } from '../../components/field.js';
import { Notice } from '../../components/notice.js';
import { planUrlChanges, urlsByEvent } from './webhook-url-plan.js';

const TYPES = EVENT_TYPES.map((event) => event.type);
const GROUPS = [
  { title: 'ID check events', types: EVENT_TYPES.filter((event) => event.type.startsWith('check.')) },
  { title: 'Privacy events', types: EVENT_TYPES.filter((event) => event.type.startsWith('customer.')) },
];

/** "A webhook URL for each event" (the seed); saved as one endpoint per distinct URL. */
export function WebhookUrlsSection({ endpoints, onSaved }: { endpoints: Endpoint[]; onSaved(): Promise<void> }) {
  const [urls, setUrls] = useState<Record<string, string>>(() => urlsByEvent(endpoints, TYPES));
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  // Follow the server while the form is untouched (another tab, the API, a re-enable).
  useEffect(() => {
    if (!dirty) setUrls(urlsByEvent(endpoints, TYPES));
  }, [endpoints, dirty]);

  const change = (type: string, value: string) => {
    setUrls((current) => ({ ...current, [type]: value }));
    setDirty(true);
    setSaved(false);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    const plan = planUrlChanges(endpoints, urls, TYPES);
    const failed: Record<string, string> = {};
    // Creates first, removals last: an event moving to a new URL is never left without a home.
    for (const { url, events } of plan.create) {
      try {
        await api.post('/api/v1/webhook-endpoints', { url, events, include_testing: true });
      } catch (error) {
        for (const type of events) failed[type] = (error as Error).message;
      }
    }
    for (const { id, events } of plan.update) {
      try {
        await api.patch(`/api/v1/webhook-endpoints/${id}`, { events });
      } catch (error) {
        for (const type of events) if (type in urls) failed[type] = (error as Error).message;
      }
    }
    for (const id of plan.remove) {
      try {
        await api.delete(`/api/v1/webhook-endpoints/${id}`);
      } catch (error) {
        failed._ = (error as Error).message;
      }
    }
    setErrors(failed);
    setBusy(false);
    if (Object.keys(failed).length === 0) {
      setDirty(false);
      setSaved(true);
    }
    await onSaved();
  };

  return (
    <section className="card" aria-labelledby="urls-title" id="webhook-urls">
      <h2 id="urls-title">Webhook URLs</h2>
      <p className="muted">Real ID sends a signed <code>POST</code> to the URL you set for each event, in real time. Leave a URL empty to skip that event; one URL may take several events.</p>
      <form onSubmit={save}>
        {GROUPS.map((group) => (
          <div key={group.title}>
            <h3 className="group-title">{group.title}</h3>
            <div className="event-rows">
              {group.types.map(({ type, label }) => (
                <div className="event-row" key={type}>
                  <div className="event-row__name"><code>{type}</code><p>{label}</p></div>
                  <Field label={<span className="visually-hidden">Webhook URL for {type}</span>} error={errors[type]}>
                    <input type="url" inputMode="url" placeholder="https://example.com/webhooks/real-id" value={urls[type] ?? ''} onChange={(e) => change(type, e.target.value)} spellCheck={false} />
                  </Field>
                </div>
              ))}
            </div>
          </div>
        ))}
        {errors._ && <Notice tone="error">{errors._}</Notice>}
        {saved && <Notice tone="success">Webhook URLs saved.</Notice>}
        {Object.keys(errors).length > 0 && <Notice tone="error">Some URLs were not saved; see the messages above.</Notice>}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={busy || !dirty}>{busy ? 'Saving…' : 'Save webhook URLs'}</button>
        </div>
      </form>
    </section>
  );
}
