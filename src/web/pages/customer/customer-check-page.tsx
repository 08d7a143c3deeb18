import { useEffect, useRef, useState } from 'react';
import type { PhotoKind } from '../../api/types.js';
import { ErrorNotice, Notice } from '../../components/notice.js';
import { useDocumentTitle } from '../../hooks/use-document-title.js';
import { PHOTO_LABELS } from '../checks/check-photos.js';
import { customerApi, type CustomerCheck } from './customer-api.js';
import { PhotoStep } from './photo-step.js';
import { PrivacyRequests } from './privacy-requests.js';

/** The steps the customer sees: one per photo, then the result. */
function Progress({ check }: { check: CustomerCheck }) {
  const steps = check.photos_required;
  const done = check.photos_received.length;
  return (
    <ol className="progress" aria-label={`Step ${Math.min(done + 1, steps.length)} of ${steps.length}`}>
      {steps.map((kind) => {
        const state = check.photos_received.includes(kind) ? 'done' : check.photos_needed[0] === kind ? 'current' : 'todo';
        return (
          <li key={kind} className={`progress__step progress__step--${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            <span className="progress__dot" aria-hidden="true">{state === 'done' ? '✓' : ''}</span>
            <span>{PHOTO_LABELS[kind]}{state === 'done' && <span className="visually-hidden"> (done)</span>}</span>
          </li>
        );
      })}
    </ol>
  );
}

function Outcome({ check }: { check: CustomerCheck }) {
  if (check.outcome === 'passed') return <div className="outcome outcome--passed" role="status"><div className="outcome__icon" aria-hidden="true">✓</div><h2>You are verified</h2><p>Thank you. {check.merchant.name || 'The company'} has been told; you can close this page.</p></div>;
  if (check.outcome === 'failed') return <div className="outcome outcome--failed" role="status"><div className="outcome__icon" aria-hidden="true">!</div><h2>We could not verify your ID</h2><p>{check.merchant.name || 'The company'} has been told and may contact you. If you think this is wrong, ask for a person to review it below.</p></div>;
  return <div className="outcome" role="status"><div className="outcome__icon" aria-hidden="true">…</div><h2>Thank you, your photos are in</h2><p>{check.awaiting_review ? 'A person will review them shortly.' : 'We are checking them now.'} {check.merchant.name || 'The company'} will be told the result.</p></div>;
}

/** The customer's check link, made for a phone: open it, send each photo, see the outcome. */
export function CustomerCheckPage({ token }: { token: string }) {
  const [check, setCheck] = useState<CustomerCheck | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const opened = useRef(false);
  useDocumentTitle('Verify your identity');

  useEffect(() => {
    // Opening the link moves the check to `opened` (and tells the merchant) once; StrictMode runs effects twice.
    if (opened.current) return;
    opened.current = true;
    customerApi.get(token)
      .then((view) => (view.step === 'delivered' ? customerApi.open(token) : view))
      .then(setCheck, setError);
  }, [token]);

  const sendPhoto = async (kind: PhotoKind, photo: Blob) => {
    setCheck(await customerApi.sendPhoto(token, kind, photo));
  };

  return (
    <div className="customer">
      <header className="customer__header">
        <div className="brand"><span className="brand__mark" aria-hidden="true">✓</span> Real ID</div>
        {check && <span className="small muted">for {check.merchant.name}</span>}
      </header>
      <main id="main" className="customer__main">
        {error && <ErrorNotice error={error} title="This link does not work" />}
        {!check && !error && <p role="status">Loading…</p>}
        {check && (
          <>
            <h1>Verify your identity</h1>
            {check.testing && <Notice tone="info">This is a test check: nothing you send here is used for real.</Notice>}
            {check.photos_needed.length > 0 && !check.outcome ? (
              <>
                <p className="muted">{check.merchant.name} asks you to prove who you are. It takes about two minutes: {check.id_check_type === 'idv' ? 'a photo of your ID and a selfie' : 'a photo of your ID'}.</p>
                <Progress check={check} />
                <PhotoStep key={check.photos_needed[0]} kind={check.photos_needed[0]} onSend={(photo) => sendPhoto(check.photos_needed[0], photo)} />
              </>
            ) : (
              <Outcome check={check} />
            )}
            <PrivacyRequests token={token} merchant={check.merchant.name} />
          </>
        )}
      </main>
      <footer className="customer__footer small muted">Your photos are encrypted and only shared with {check?.merchant.name || 'the company that sent this link'}.</footer>
    </div>
  );
}
