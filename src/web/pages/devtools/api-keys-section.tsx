import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { ApiKey, CreatedApiKey, ListOf } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { CopyButton } from '../../components/copy-button.js';
import { Field } from '../../components/field.js';
import { ErrorNotice, Notice } from '../../components/notice.js';
import { Time } from '../../components/time.js';
import { useAction } from '../../hooks/use-action.js';
import { useResource } from '../../hooks/use-resource.js';

/** API keys: create (the full key is shown once), list, revoke with a confirmation. */
export function ApiKeysSection() {
  const keys = useResource('api-keys', () => api.get<ListOf<ApiKey>>('/api/v1/api-keys'));
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'test' | 'live'>('test');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const action = useAction();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const made = await action.run(() => api.post<CreatedApiKey>('/api/v1/api-keys', { name: name.trim(), mode }));
    if (made) {
      setCreated(made);
      setName('');
      await keys.reload();
    }
  };

  const revoke = async (key: ApiKey) => {
    setRevoking(null);
    await action.run(() => api.delete(`/api/v1/api-keys/${key.id}`));
    if (created?.id === key.id) setCreated(null);
    await keys.reload();
  };

  const active = keys.data?.data.filter((key) => !key.revoked_at) ?? [];
  const revoked = keys.data?.data.filter((key) => key.revoked_at) ?? [];

  return (
    <section className="card" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <p className="muted">Test keys create test checks (simulated, never billed); live keys create real ones. Keep keys on your server, never in a browser or an app.</p>
      {created && (
        <Notice tone="success" title={`Your new ${created.mode} key "${created.name}"`}>
          <p>Copy it now: it is shown only this once.</p>
          <div className="secret-row">
            <code className="secret" data-testid="new-api-key">{created.key}</code>
            <CopyButton value={created.key} />
          </div>
        </Notice>
      )}
      <ErrorNotice error={action.error ?? keys.error} />
      <form className="inline-form" onSubmit={create}>
        <Field label="Key name">
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="Where it is used, e.g. Checkout server" />
        </Field>
        <Field label="Mode">
          <select value={mode} onChange={(e) => setMode(e.target.value as 'test' | 'live')}>
            <option value="test">Test</option>
            <option value="live">Live</option>
          </select>
        </Field>
        <button type="submit" className="btn btn--primary" disabled={action.busy}>Create key</button>
      </form>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Active API keys</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Mode</th><th scope="col" className="hide-narrow">Created</th><th scope="col" className="hide-narrow">Last used</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {active.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td><code>{key.hint}</code></td>
                <td><span className={`badge badge--${key.mode === 'live' ? 'live' : 'test'}`}>{key.mode}</span></td>
                <td className="hide-narrow"><Time iso={key.created_at} /></td>
                <td className="hide-narrow"><Time iso={key.last_used_at} /></td>
                <td className="actions"><button type="button" className="btn btn--small btn--danger-ghost" onClick={() => setRevoking(key)} aria-label={`Revoke ${key.name}`}>Revoke</button></td>
              </tr>
            ))}
            {keys.data && active.length === 0 && <tr><td colSpan={6} className="empty">No active keys. Create one above.</td></tr>}
          </tbody>
        </table>
      </div>
      {revoked.length > 0 && <p className="muted small">{revoked.length} revoked key{revoked.length === 1 ? '' : 's'} no longer work{revoked.length === 1 ? 's' : ''}.</p>}
      <ConfirmDialog open={revoking !== null} title={`Revoke “${revoking?.name ?? ''}”?`} confirmLabel="Revoke key" danger busy={action.busy} onConfirm={() => revoking && void revoke(revoking)} onCancel={() => setRevoking(null)}>
        <p>Requests that use <code>{revoking?.hint}</code> will be refused at once. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}
