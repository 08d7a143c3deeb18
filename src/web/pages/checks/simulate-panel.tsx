import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Check, PhotoKind } from '../../api/types.js';
import { ErrorNotice } from '../../components/notice.js';
import { useAction } from '../../hooks/use-action.js';

const SEND_LABELS: Record<PhotoKind, string> = { id_front: 'Send the front of the ID', id_back: 'Send the back of the ID', selfie: 'Send a selfie' };

const ERRORS = ['UnreadableIdError', 'MissingIdFieldsError', 'ExpiredIdError', 'UnderageIdError', 'FaceMatchError', 'FaceNotFoundError', 'MultipleFacesError'];

/** For test checks: play the customer's part (open, send each photo, finish or fail) and watch the webhooks go. */
export function SimulatePanel({ check, onChanged }: { check: Check; onChanged(): void }) {
  const { busy, error, run } = useAction();
  const [failWith, setFailWith] = useState(ERRORS[0]);
  const missing = check.photos_required.filter((kind) => !check.photos_received.includes(kind));

  const simulate = async (body: { action: string; kind?: PhotoKind; error?: string }) => {
    if (await run(() => api.post(`/api/v1/checks/${check.id}/simulate`, body).then(() => true))) onChanged();
  };

  return (
    <section className="card card--accent" aria-labelledby="simulate-title">
      <h2 id="simulate-title">Simulate the customer</h2>
      <p className="small muted">A test check: these buttons do what the customer would, and send the same webhooks.</p>
      <ErrorNotice error={error} />
      <div className="button-column">
        {check.step === 'delivered' && <button type="button" className="btn" disabled={busy} onClick={() => void simulate({ action: 'open' })}>Open the link</button>}
        {missing.map((kind) => (
          <button key={kind} type="button" className="btn" disabled={busy} onClick={() => void simulate({ action: 'submit_photo', kind })}>{SEND_LABELS[kind]}</button>
        ))}
        <button type="button" className="btn btn--success" disabled={busy} onClick={() => void simulate({ action: 'complete' })}>Complete the check</button>
        <div className="inline-form inline-form--tight">
          <label className="filters__select">
            <span>Fail with</span>
            <select value={failWith} onChange={(e) => setFailWith(e.target.value)}>
              {ERRORS.map((name) => <option key={name} value={name}>{name}</option>)}
            </select>
          </label>
          <button type="button" className="btn btn--danger" disabled={busy} onClick={() => void simulate({ action: 'fail', error: failWith })}>Fail the check</button>
        </div>
      </div>
    </section>
  );
}
