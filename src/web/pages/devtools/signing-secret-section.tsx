import { useState } from 'react';
import { api } from '../../api/client.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { CopyButton } from '../../components/copy-button.js';
import { ErrorNotice, Notice } from '../../components/notice.js';
import { Time } from '../../components/time.js';
import { useAction } from '../../hooks/use-action.js';
import type { SigningSecret } from '../../api/types.js';

interface SecretsOut {
  current: SigningSecret | null;
  /** Rotated-out secrets that still sign `webhook-signature` until they expire. */
  previous: SigningSecret[];
}

/** The signing secret: hidden until revealed, copyable, and rotated only after a confirmation. */
export function SigningSecretSection() {
  const [secret, setSecret] = useState<SecretsOut | null>(null);
  const [revealed, setRevealed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState(false);
  const action = useAction();

  const reveal = async () => {
    const loaded = await action.run(() => api.get<SecretsOut>('/api/v1/webhook-secret'));
    if (loaded) {
      setSecret(loaded);
      setRevealed(true);
    }
  };

  const rotate = async () => {
    const next = await action.run(() => api.post<SecretsOut>('/api/v1/webhook-secret/rotate'));
    setConfirming(false);
    if (next) {
      setSecret(next);
      setRevealed(true);
      setRotated(true);
    }
  };

  return (
    <section className="card" aria-labelledby="secret-title" id="signing-secret">
      <h2 id="secret-title">Signing secret</h2>
      <p className="muted">
        Every webhook carries <code>X-Real-ID-Signature</code> (hex HMAC-SHA256 of the raw body, keyed by this secret) and the Standard Webhooks
        headers <code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>. Verify them before trusting a webhook.
      </p>
      <ErrorNotice error={action.error} />
      {rotated && <Notice tone="success" title="Secret rotated">New webhooks are signed with the new secret. For 24 hours, <code>webhook-signature</code> also carries a signature made with the old one, so you can update your servers without losing webhooks.</Notice>}
      <div className="secret-row">
        {revealed && secret?.current ? (
          <code className="secret" data-testid="signing-secret">{secret.current.secret}</code>
        ) : (
          <code className="secret secret--hidden" aria-label="Signing secret, hidden">whsec_••••••••••••••••••••••••••••</code>
        )}
        {revealed && secret?.current ? (
          <>
            <CopyButton value={secret.current.secret} />
            <button type="button" className="btn btn--small" onClick={() => setRevealed(false)}>Hide</button>
          </>
        ) : (
          <button type="button" className="btn btn--small" onClick={() => void reveal()} disabled={action.busy}>Reveal</button>
        )}
      </div>
      {revealed && secret?.current && <p className="small muted">Created <Time iso={secret.current.created_at} /></p>}
      {revealed && secret?.previous.map((old) => (
        <p key={old.created_at} className="small muted">The previous secret <code>{old.secret.slice(0, 12)}…</code> also signs <code>webhook-signature</code> until <Time iso={old.expires_at} />.</p>
      ))}
      <div className="button-row" style={{ marginTop: '0.75rem' }}>
        <button type="button" className="btn btn--danger-ghost" onClick={() => setConfirming(true)}>Rotate secret…</button>
      </div>
      <ConfirmDialog open={confirming} title="Rotate the signing secret?" confirmLabel="Rotate secret" danger busy={action.busy} onConfirm={() => void rotate()} onCancel={() => setConfirming(false)}>
        <p>A new secret signs every webhook from now on. Servers that check <code>X-Real-ID-Signature</code> with the old secret will reject webhooks until you give them the new one.</p>
        <p>The old secret keeps signing <code>webhook-signature</code> beside the new one for 24 hours.</p>
      </ConfirmDialog>
    </section>
  );
}
