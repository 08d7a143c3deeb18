/**
 * The public API as a merchant's code calls it, with one key. `call` never throws for an HTTP
 * status (the producer needs to tell a 201 from a 503 from a dropped connection); it throws only
 * when no answer came at all.
 */
export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

export interface Api {
  call<T = any>(method: string, route: string, body?: unknown, timeoutMs?: number): Promise<ApiAnswer<T>>;
  /** Like `call`, but anything other than 2xx is an error with the service's message. */
  ok<T = any>(method: string, route: string, body?: unknown): Promise<T>;
}

export function apiFor(url: string, key: string): Api {
  const call = async <T>(method: string, route: string, body?: unknown, timeoutMs = 30_000): Promise<ApiAnswer<T>> => {
    const response = await fetch(url + route, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON: keep the text for the error message */ }
    return { status: response.status, body: parsed as T };
  };
  return {
    call,
    async ok<T>(method: string, route: string, body?: unknown) {
      const answer = await call<T>(method, route, body);
      if (answer.status < 200 || answer.status >= 300) throw new Error(`${method} ${route} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
      return answer.body;
    },
  };
}

export interface EventSummary {
  id: string;
  type: string;
  check_id: string;
}

/** Every event of the account, oldest first, page by page (GET /api/v1/events?after=). */
export async function listAllEvents(api: Api): Promise<EventSummary[]> {
  const all: EventSummary[] = [];
  let after: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const query = after ? `?limit=500&after=${after}` : '?limit=500';
    const { data, has_more } = await api.ok<{ data: EventSummary[]; has_more: boolean }>('GET', `/api/v1/events${query}`);
    all.push(...data.map(({ id, type, check_id }) => ({ id, type, check_id })));
    if (!has_more || data.length === 0) return all;
    after = data[data.length - 1]!.id;
  }
  throw new Error('more than 5,000,000 events: the listing was cut short');
}
