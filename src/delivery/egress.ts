import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Pool, ProxyAgent, type Dispatcher } from 'undici';
import { allowList, isForbiddenAddress } from '../core/address-guard.js';
import type { Cidr } from '../core/ip-address.js';
import { parseIp } from '../core/ip-address.js';

/** Raised when a destination resolves only to addresses the guard refuses; classified as `blocked`. */
export class DestinationBlockedError extends Error {
  readonly code = 'RID_DESTINATION_BLOCKED';
  constructor(host: string, addresses: string[]) {
    super(`${host} resolves to ${addresses.join(', ') || 'nothing'}, which webhooks may not reach (loopback, private, link-local or metadata); allow it with REALID_ALLOW_DESTINATIONS`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net.connect that resolves, drops forbidden addresses, and fails when none is
 * left. Because it runs for the very connection being opened, a name that resolves to a public
 * address when saved and to 127.0.0.1 later (DNS rebinding) is still caught.
 */
export function guardedLookup(allowed: readonly Cidr[]) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, family: typeof options.family === 'number' ? options.family : 0 }, (error, addresses) => {
      if (error) return callback(error, '');
      const safe = addresses.filter((entry) => !isForbiddenAddress(entry.address, allowed));
      if (safe.length === 0) return callback(new DestinationBlockedError(hostname, addresses.map((a) => a.address)), '');
      if (options.all) return callback(null, safe);
      callback(null, safe[0].address, safe[0].family);
    });
  };
}

/** Node skips `lookup` for IP literals, so those are judged before the request starts. */
export function assertLiteralAllowed(url: URL, allowed: readonly Cidr[]): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (parseIp(host) && isForbiddenAddress(host, allowed)) throw new DestinationBlockedError(host, [host]);
}

/** Resolves a name the way a connection would and refuses it when every address is forbidden. */
export function assertResolvesAllowed(url: URL, allowed: readonly Cidr[]): Promise<void> {
  return new Promise((resolve, reject) => {
    guardedLookup(allowed)(url.hostname.replace(/^\[|\]$/g, ''), { all: true }, (error) => (error ? reject(error) : resolve()));
  });
}

/** An endpoint's URL parsed once, with the two parts every request to it needs (URL's getters build new strings each time). */
export interface CheckedUrl {
  url: URL;
  origin: string;
  /** Path and query, as the request line carries them. */
  path: string;
}

export interface Egress {
  /** What sends to this origin: the operator's proxy, or a keep-alive pool of guarded connections to it. */
  dispatcherFor(origin: string): Dispatcher;
  allowed: readonly Cidr[];
  /** True when deliveries leave through the operator's proxy, which then does the resolving. */
  viaProxy: boolean;
  /** The endpoint's URL parsed, once its literal address (if any) passed the guard; throws DestinationBlockedError. */
  checkedUrl(url: string): CheckedUrl;
  close(): Promise<void>;
}

/** At most this many origins keep a pool of open connections; the least recently added is closed first. */
const MAX_POOLS = 1_000;

/**
 * How deliveries leave the process: a keep-alive pool per origin whose connections pass the
 * address guard, or — when the operator sets REALID_EGRESS_PROXY so webhooks leave from known
 * addresses — a proxy agent. Through a proxy the guard runs on our own resolution just before
 * sending. The pools are kept here rather than behind an undici Agent: the Agent's routing cost a
 * fifth of the send path in a loopback benchmark, for a lookup we can do once per origin.
 */
export function createEgress(config: { allowDestinations: readonly string[]; egressProxy: string | null; attemptTimeoutMs: number }): Egress {
  const allowed = allowList(config.allowDestinations);
  const common = { keepAliveTimeout: 30_000, connectTimeout: Math.min(config.attemptTimeoutMs, 10_000) };
  const proxy = config.egressProxy ? new ProxyAgent({ uri: config.egressProxy, ...common }) : null;
  const lookup = guardedLookup(allowed);
  const pools = new Map<string, Pool>();
  const dispatcherFor = (origin: string): Dispatcher => {
    if (proxy) return proxy;
    let pool = pools.get(origin);
    if (!pool) {
      if (pools.size >= MAX_POOLS) {
        const [origin, oldest] = pools.entries().next().value as [string, Pool];
        pools.delete(origin);
        void oldest.close().catch(() => {});
      }
      pool = new Pool(origin, { ...common, connect: { lookup: lookup as never } });
      pools.set(origin, pool);
    }
    return pool;
  };
  // An endpoint's URL and the allow-list do not change under a worker, so neither does the verdict
  // on its literal address: parse and judge each URL once (names are still judged per connection).
  const checked = new Map<string, CheckedUrl>();
  const checkedUrl = (text: string): CheckedUrl => {
    let found = checked.get(text);
    if (!found) {
      const url = new URL(text);
      assertLiteralAllowed(url, allowed);
      if (checked.size >= 10_000) checked.clear();
      found = { url, origin: url.origin, path: url.pathname + url.search };
      checked.set(text, found);
    }
    return found;
  };
  return {
    dispatcherFor, allowed, viaProxy: Boolean(proxy), checkedUrl,
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      pools.clear();
      await proxy?.close();
    },
  };
}
