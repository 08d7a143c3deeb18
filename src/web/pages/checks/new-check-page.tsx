import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api/client.js';
import type { CheckCreated } from '../../api/types.js';
import { Field } from '../../components/field.js';
import { PageHeader } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { navigate } from '../../router.js';

/** The fields an API error names, so each message shows under its own input. */
function fieldErrors(error: Error | null): Record<string, string> {
  const details = error instanceof ApiError && Array.isArray(error.details) ? (error.details as Array<{ field?: string; message?: string }>) : [];
  return Object.fromEntries(details.filter((d) => d.field).map((d) => [d.field!.replace(/^\//, '').replace(/\//g, '.'), d.message ?? 'is not valid']));
}

/** Create a check: who to verify, what to verify, and whether it is a test. */
export function NewCheckPage() {
  const [form, setForm] = useState({
    first_name: '', last_name: '', email: '', phone: '', order_id: '', order_name: '',
    id_check_type: 'idv' as 'id' | 'idv', include_back_of_id: false, min_age: '', testing: true,
  });
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => setForm((current) => ({ ...current, [key]: value }));
  const errors = fieldErrors(error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api.post<CheckCreated>('/api/v1/checks', {
        customer: { first_name: form.first_name.trim(), last_name: form.last_name.trim(), ...(form.email.trim() ? { email: form.email.trim() } : {}), ...(form.phone.trim() ? { phone: form.phone.trim() } : {}) },
        ...(form.order_id.trim() ? { order: { id: form.order_id.trim(), ...(form.order_name.trim() ? { name: form.order_name.trim() } : {}) } } : {}),
        rules: {
          id_check_type: form.id_check_type,
          include_back_of_id: form.include_back_of_id,
          ...(form.min_age ? { min_age: Number(form.min_age) } : {}),
          testing: form.testing,
        },
      });
      navigate(`/checks/${created.check.id}`);
    } catch (caught) {
      setError(caught as Error);
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="New check" description="Real ID sends your customer a link by email or text; you get a webhook at each step." />
      <form className="card form" onSubmit={submit}>
        <ErrorNotice error={error} title="The check was not created" />
        <fieldset>
          <legend>Customer</legend>
          <div className="grid-2">
            <Field label="First name" error={errors['customer.first_name']}><input required value={form.first_name} onChange={(e) => set('first_name', e.target.value)} autoComplete="off" /></Field>
            <Field label="Last name" error={errors['customer.last_name']} hint={form.testing ? 'In a test, “Unreadable”, “Underage” or “Mismatch” force that outcome.' : undefined}>
              <input required value={form.last_name} onChange={(e) => set('last_name', e.target.value)} autoComplete="off" />
            </Field>
            <Field label="Email" error={errors['customer.email']} hint="Email or phone: the link goes there."><input type="email" value={form.email} onChange={(e) => set('email', e.target.value)} autoComplete="off" /></Field>
            <Field label="Phone" error={errors['customer.phone']}><input type="tel" value={form.phone} onChange={(e) => set('phone', e.target.value)} autoComplete="off" placeholder="+1 555 0100" /></Field>
          </div>
        </fieldset>
        <fieldset>
          <legend>Order (optional)</legend>
          <div className="grid-2">
            <Field label="Order id" hint="Your reference; you can search checks by it."><input value={form.order_id} onChange={(e) => set('order_id', e.target.value)} /></Field>
            <Field label="Order name"><input value={form.order_name} onChange={(e) => set('order_name', e.target.value)} disabled={!form.order_id.trim()} /></Field>
          </div>
        </fieldset>
        <fieldset>
          <legend>What to verify</legend>
          <div className="radio-group" role="radiogroup" aria-label="Check type">
            <label className="choice"><input type="radio" name="type" checked={form.id_check_type === 'idv'} onChange={() => set('id_check_type', 'idv')} /> <span><strong>ID and selfie</strong><br /><span className="muted small">The face on the ID must match a selfie.</span></span></label>
            <label className="choice"><input type="radio" name="type" checked={form.id_check_type === 'id'} onChange={() => set('id_check_type', 'id')} /> <span><strong>ID only</strong><br /><span className="muted small">The ID must be readable, complete and valid.</span></span></label>
          </div>
          <label className="checkbox"><input type="checkbox" checked={form.include_back_of_id} onChange={(e) => set('include_back_of_id', e.target.checked)} /> Also ask for the back of the ID</label>
          <Field label="Minimum age" hint="Leave empty for no age rule." error={errors['rules.min_age']}>
            <input type="number" min={1} max={150} inputMode="numeric" value={form.min_age} onChange={(e) => set('min_age', e.target.value)} className="input--short" />
          </Field>
          <label className="checkbox"><input type="checkbox" checked={form.testing} onChange={(e) => set('testing', e.target.checked)} /> Test check <span className="muted small">(simulate the customer from the dashboard; nothing is sent for real)</span></label>
        </fieldset>
        <div className="form__actions">
          <button type="button" className="btn" onClick={() => navigate('/checks')}>Cancel</button>
          <button type="submit" className="btn btn--primary" disabled={busy}>{busy ? 'Creating…' : form.testing ? 'Create test check' : 'Create and send check'}</button>
        </div>
      </form>
    </>
  );
}
