import { useEffect } from 'react';
import { api, ApiError } from '../../api/client.js';
import type { Endpoint, ListOf } from '../../api/types.js';
import { PageHeader } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { useInterval } from '../../hooks/use-interval.js';
import { useResource } from '../../hooks/use-resource.js';
import { ApiKeysSection } from './api-keys-section.js';
import { DeliveryLogSection } from './delivery-log-section.js';
import { EndpointCard } from './endpoint-card.js';
import { SigningSecretSection } from './signing-secret-section.js';
import { WebhookUrlsSection } from './webhook-urls-section.js';

/** Webhooks are an Enterprise feature (the seed): other plans see why, and how to get them (the API's own words). */
function UpgradeNotice({ message }: { message: string }) {
  return (
    <section className="card upgrade" aria-labelledby="upgrade-title">
      <h2 id="upgrade-title">Webhooks are an Enterprise feature</h2>
      <p>Real ID can tell your systems in real time when a check is opened, completed or failed, and when a customer makes a privacy request, with signed webhooks.</p>
      <p>{message}</p>
    </section>
  );
}

/** Settings › DevTools: webhook URLs, the signing secret, endpoint health, the delivery log, API keys. */
export function DevToolsPage() {
  // The API decides who has webhooks; its 403 carries the message to show.
  const endpoints = useResource('endpoints', () => api.get<ListOf<Endpoint>>('/api/v1/webhook-endpoints?limit=100'));
  const planRefused = endpoints.error instanceof ApiError && endpoints.error.code === 'RID_ERR_PLAN_REQUIRED';
  const list = endpoints.data?.data ?? [];
  // Links such as the check page's "Webhook deliveries →" point at a section: show it once it is drawn.
  const loaded = endpoints.data !== undefined;
  useEffect(() => {
    if (loaded && window.location.hash) document.getElementById(window.location.hash.slice(1))?.scrollIntoView();
  }, [loaded]);
  // Health (success rate, failing, disabled) moves with every delivery.
  useInterval(() => void endpoints.reload(), planRefused ? null : 5000);

  return (
    <>
      <PageHeader title="Settings › DevTools" description="Connect your systems: webhooks, their signing secret, and API keys." />
      <div className="settings">
        {planRefused ? (
          <UpgradeNotice message={endpoints.error!.message} />
        ) : (
          <>
            <ErrorNotice error={endpoints.error} title="The webhook settings could not be loaded" />
            {endpoints.data && <WebhookUrlsSection endpoints={list} onSaved={endpoints.reload} />}
            <SigningSecretSection />
            {list.length > 0 && (
              <section className="card" aria-labelledby="endpoints-title" id="endpoints">
                <h2 id="endpoints-title">Endpoints</h2>
                <p className="muted">Each distinct URL above is one endpoint. Failed deliveries are retried for about a day and a half (5 s, 1 min, 10 min, 1 h, 6 h, 24 h); an endpoint that fails for 5 days is disabled.</p>
                {list.map((endpoint) => <EndpointCard key={endpoint.id} endpoint={endpoint} onChanged={endpoints.reload} />)}
              </section>
            )}
            {endpoints.data && <DeliveryLogSection endpoints={list} />}
          </>
        )}
        <ApiKeysSection />
      </div>
    </>
  );
}
