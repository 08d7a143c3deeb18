import { isForbiddenAddress } from '../core/address-guard.js';
import { AppError } from '../core/errors.js';
import { EVENT_TYPES, normaliseEventType, type EventType } from '../core/event-types.js';
import { parseIp } from '../core/ip-address.js';

/**
 * A webhook URL as it is saved: absolute http(s), and — when its host is an IP literal, or a
 * `localhost` name that always means loopback — not an address the guard refuses. Names are
 * judged again after DNS on every connection (src/delivery/egress.ts).
 */
export function checkEndpointUrl(text: string, allowDestinations: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('RID_ERR_INVALID_URL', `"${text}" is not an absolute URL (example: https://shop.example/webhooks/real-id).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('RID_ERR_INVALID_URL', `The URL must use http:// or https://, not ${url.protocol}//.`);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const literals = parseIp(host) ? [host] : host === 'localhost' || host.endsWith('.localhost') ? ['127.0.0.1', '::1'] : [];
  const refused = literals.filter((ip) => isForbiddenAddress(ip, allowDestinations));
  if (refused.length > 0 && refused.length === literals.length) {
    throw new AppError('RID_ERR_DESTINATION_FORBIDDEN', `${url.host} is a loopback, private, link-local or metadata address; webhooks cannot be sent there. Use a public URL, or ask the operator to allow it with REALID_ALLOW_DESTINATIONS.`, { url: text });
  }
  return url.toString();
}

/** Subscribed event types, canonical and de-duplicated; all eight when none are given. */
export function normaliseEventTypes(names: readonly string[] | undefined): EventType[] {
  if (!names || names.length === 0) return [...EVENT_TYPES];
  const out = new Set<EventType>();
  for (const name of names) {
    const type = normaliseEventType(name);
    if (!type) throw new AppError('RID_ERR_VALIDATION', `events: "${name}" is not an event type. Use one of ${EVENT_TYPES.join(', ')} (or check.created for check.delivered).`, [{ field: 'events', message: `"${name}" is not an event type` }]);
    out.add(type);
  }
  return EVENT_TYPES.filter((type) => out.has(type));
}
