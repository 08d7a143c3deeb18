import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { ErrorNotice, Notice } from '../../components/notice.js';
import { useAction } from '../../hooks/use-action.js';
import { customerApi, type PrivacyRequestType } from './customer-api.js';

const REQUESTS: Record<PrivacyRequestType, { button: string; title: string; text: string; done: string }> = {
  data_request: {
    button: 'Get a copy of my data', title: 'Ask for a copy of your data?',
    text: 'We will tell the company that asked for this check; they hold your data and will send you a copy.', done: 'Your request for a copy of your data was sent.',
  },
  manual_review: {
    button: 'Ask for a person to review my result', title: 'Ask for a manual review?',
    text: 'A person at the company that asked for this check will look at your photos and decide.', done: 'Your request for a manual review was sent.',
  },
  data_deletion: {
    button: 'Delete my data', title: 'Ask for your data to be deleted?',
    text: 'We will tell the company that asked for this check; they decide and delete your photos and details.', done: 'Your request to delete your data was sent.',
  },
};

/**
 * The customer's rights: Real ID only processes the data, so each request is passed on to the
 * merchant (the controller), who acts on it. Each one is confirmed before it is sent.
 */
export function PrivacyRequests({ token, merchant }: { token: string; merchant: string }) {
  const [asking, setAsking] = useState<PrivacyRequestType | null>(null);
  const [sent, setSent] = useState<PrivacyRequestType[]>([]);
  const action = useAction();

  const send = async (type: PrivacyRequestType) => {
    const done = await action.run(() => customerApi.requestPrivacy(token, type).then(() => true));
    if (done) setSent((current) => [...current, type]);
    setAsking(null);
  };

  return (
    <section className="customer-privacy" aria-labelledby="privacy-title">
      <h2 id="privacy-title">Your data</h2>
      <p className="small muted">{merchant || 'The company'} asked Real ID to check your ID. You can ask them for:</p>
      {sent.map((type) => <Notice key={type} tone="success">{REQUESTS[type].done}</Notice>)}
      <ErrorNotice error={action.error} />
      <div className="button-column">
        {(Object.keys(REQUESTS) as PrivacyRequestType[]).map((type) => (
          <button key={type} type="button" className="btn btn--block" onClick={() => setAsking(type)} disabled={sent.includes(type)}>{REQUESTS[type].button}</button>
        ))}
      </div>
      <ConfirmDialog open={asking !== null} title={asking ? REQUESTS[asking].title : ''} confirmLabel="Send request" busy={action.busy} onConfirm={() => asking && void send(asking)} onCancel={() => setAsking(null)}>
        <p>{asking ? REQUESTS[asking].text : ''}</p>
      </ConfirmDialog>
    </section>
  );
}
