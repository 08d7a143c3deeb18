import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Check } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { ErrorNotice } from '../../components/notice.js';
import { useAction } from '../../hooks/use-action.js';

type Decision = 'approve' | 'reject' | 'redact';

const CONFIRM: Record<Decision, { title: string; label: string; text: string }> = {
  approve: { title: 'Approve this check?', label: 'Approve check', text: 'The check becomes completed and your endpoints receive check.completed. Use this when you have verified the customer yourself.' },
  reject: { title: 'Reject this check?', label: 'Reject check', text: 'The check becomes failed and your endpoints receive check.failed.' },
  redact: { title: 'Delete this check’s personal data?', label: 'Delete personal data', text: 'The photos, the customer’s name and contact details are erased for good. The id, step and times stay, so your records still add up.' },
};

/** The merchant's decisions: approve or reject by hand, and redact. */
export function CheckActions({ check, onChanged }: { check: Check; onChanged(): void }) {
  const [pending, setPending] = useState<Decision | null>(null);
  const action = useAction();

  const decide = async (decision: Decision) => {
    setPending(null);
    await action.run(() => (decision === 'redact' ? api.delete(`/api/v1/checks/${check.id}`) : api.post(`/api/v1/checks/${check.id}/manually-${decision}`)));
    onChanged();
  };

  if (check.redacted_at) return null;
  // The API decides only once every photo is in: there is nothing to judge before that.
  const waitingForPhotos = check.photos_required.some((kind) => !check.photos_received.includes(kind));
  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Decide</h2>
      <ErrorNotice error={action.error} />
      <div className="button-row">
        <button type="button" className="btn btn--success" onClick={() => setPending('approve')} disabled={action.busy || waitingForPhotos || check.step === 'completed'}>Approve</button>
        <button type="button" className="btn btn--danger" onClick={() => setPending('reject')} disabled={action.busy || waitingForPhotos || check.step === 'failed'}>Reject</button>
      </div>
      <p className="small muted">{waitingForPhotos ? 'You can approve or reject once the customer has sent every photo.' : 'Approving or rejecting overrides the automatic verdict and is recorded on the check.'}</p>
      <hr />
      <button type="button" className="btn btn--danger-ghost" onClick={() => setPending('redact')} disabled={action.busy}>Delete personal data…</button>
      {pending && (
        <ConfirmDialog open title={CONFIRM[pending].title} confirmLabel={CONFIRM[pending].label} danger={pending !== 'approve'} onConfirm={() => void decide(pending)} onCancel={() => setPending(null)}>
          <p>{CONFIRM[pending].text}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
