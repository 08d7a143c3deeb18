import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import type { Endpoint } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { Field } from '../../components/field.js';
import { ErrorNotice } from '../../components/notice.js';

/** `datetime-local` wants local time without a zone. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** Re-sends every failed delivery of an endpoint since a time (after an outage, or on re-enabling). */
export function RecoverDialog({ endpoint, since, onDone, onCancel }: { endpoint: Endpoint; since: string; onDone(message: string): void; onCancel(): void }) {
  const [value, setValue] = useState(() => toLocalInput(since));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => setValue(toLocalInput(since)), [since]);

  const recover = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<{ requeued?: number; recovered?: number }>(`/api/v1/webhook-endpoints/${endpoint.id}/recover`, { since: new Date(value).toISOString() });
      const count = result.requeued ?? result.recovered;
      onDone(count === undefined ? 'Failed deliveries are being sent again.' : `${count} failed deliver${count === 1 ? 'y is' : 'ies are'} being sent again.`);
    } catch (caught) {
      setError(caught as Error);
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog open title="Recover failed deliveries" confirmLabel="Send them again" busy={busy} onConfirm={() => void recover()} onCancel={onCancel}>
      <p>Every delivery to <code className="break">{endpoint.url}</code> that failed since this time is sent again, oldest first.</p>
      <ErrorNotice error={error} />
      <Field label="Failed since">
        <input type="datetime-local" value={value} onChange={(e) => setValue(e.target.value)} required />
      </Field>
    </ConfirmDialog>
  );
}
