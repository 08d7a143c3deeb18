/**
 * The seed's DevTools asks for "a webhook URL for each event"; the API has endpoints, each a URL
 * with a list of events. These two functions translate: the form shows one URL per event, and
 * saving turns the form back into the fewest endpoint changes (one endpoint per distinct URL).
 * Endpoints that carry none of the eight events are left alone; other events survive when a URL
 * is cleared. An update never sends an empty list: to the API that means "all events".
 */
export interface EndpointShape {
  id: string;
  url: string;
  events: string[];
  disabled: boolean;
}

export interface UrlPlan {
  create: Array<{ url: string; events: string[] }>;
  update: Array<{ id: string; events: string[] }>;
  remove: string[];
}

/** `check.created` is the seed's name for `check.delivered`: an endpoint may use either. */
const ALIASES: Record<string, string> = { 'check.created': 'check.delivered' };
const canonical = (type: string) => ALIASES[type] ?? type;
/** An endpoint with no events listed takes all of them (the API's rule). */
const eventsOf = (endpoint: EndpointShape, eventTypes: readonly string[]) => (endpoint.events.length === 0 ? [...eventTypes] : endpoint.events.map(canonical));

/** The URL shown for each event: an enabled endpoint's first, else a disabled one's (so it is not lost). */
export function urlsByEvent(endpoints: readonly EndpointShape[], eventTypes: readonly string[]): Record<string, string> {
  const ordered = [...endpoints.filter((e) => !e.disabled), ...endpoints.filter((e) => e.disabled)];
  return Object.fromEntries(eventTypes.map((type) => [type, ordered.find((e) => eventsOf(e, eventTypes).includes(type))?.url ?? '']));
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function planUrlChanges(endpoints: readonly EndpointShape[], wanted: Readonly<Record<string, string>>, eventTypes: readonly string[]): UrlPlan {
  const managed = new Set(eventTypes);
  const byUrl = new Map<string, string[]>();
  for (const type of eventTypes) {
    const url = wanted[type]?.trim();
    if (url) byUrl.set(url, [...(byUrl.get(url) ?? []), type]);
  }

  const plan: UrlPlan = { create: [], update: [], remove: [] };
  const claimed = new Set<string>();
  for (const endpoint of endpoints) {
    const current = eventsOf(endpoint, eventTypes);
    if (!current.some((type) => managed.has(type))) continue;
    const others = current.filter((type) => !managed.has(type));
    const events = !claimed.has(endpoint.url) && byUrl.has(endpoint.url) ? [...byUrl.get(endpoint.url)!, ...others] : others;
    if (byUrl.has(endpoint.url)) claimed.add(endpoint.url);
    if (events.length === 0) plan.remove.push(endpoint.id);
    else if (!sameSet(events, current)) plan.update.push({ id: endpoint.id, events });
  }
  for (const [url, events] of byUrl) if (!claimed.has(url)) plan.create.push({ url, events });
  return plan;
}
