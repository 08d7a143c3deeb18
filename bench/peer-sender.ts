import { Pool } from 'undici';
import { signedRequest } from './webhook-request.js';

/**
 * How both peer baselines (pg-boss, BullMQ) send one webhook, as a Node team would write it: sign
 * it like ours, POST it through a keep-alive undici Pool per endpoint origin with our per-endpoint
 * limit of 16 connections, and call it delivered on a 2xx only.
 */
export interface PeerWebhook { eventId: string; url: string; body: string }

const pools = new Map<string, Pool>();

function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: 16, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 15_000, bodyTimeout: 15_000 });
    pools.set(origin, pool);
  }
  return pool;
}

/** Never throws: a failed POST is `false`, for the queue to retry. */
export async function sendPeerWebhook(webhook: PeerWebhook, secret: string): Promise<boolean> {
  const url = new URL(webhook.url);
  const request = signedRequest(webhook.eventId, webhook.body, secret);
  try {
    const response = await poolFor(url.origin).request({ path: url.pathname, method: 'POST', headers: request.headers, body: request.body });
    await response.body.dump();
    return response.statusCode >= 200 && response.statusCode < 300;
  } catch {
    return false;
  }
}

export async function closePeerPools(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.close()));
  pools.clear();
}
