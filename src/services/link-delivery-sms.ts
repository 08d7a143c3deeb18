/**
 * SMS goes through a provider adapter. The one shipped posts to an HTTP webhook
 * (REALID_SMS_WEBHOOK_URL) that bridges to the operator's SMS provider:
 *
 *   POST <url>  Content-Type: application/json
 *   {"to": "+4915112345678", "body": "Acme asks you to verify your ID: https://…/c/…"}
 *
 * Any 2xx is success. Another provider means another `SmsSender`.
 */
export interface SmsSender {
  send(to: string, body: string): Promise<void>;
}

export function webhookSmsSender(url: string, timeoutMs = 10_000): SmsSender {
  return {
    async send(to, body) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to, body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`the SMS webhook answered HTTP ${response.status}`);
    },
  };
}
