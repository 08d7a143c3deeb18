import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { configFromFlags, EXIT, fail } from './run-command.js';

/** A failed API call, with the service's own `{code, message}`. */
export class ApiCallError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface ApiClient {
  url: string;
  key: string;
  call<T = any>(method: string, route: string, body?: unknown): Promise<T>;
  /** A raw fetch with the key, for streams. */
  fetch(route: string, init?: RequestInit): Promise<Response>;
}

/**
 * Where the developer commands find the service and the key: --url / REALID_URL (default
 * http://127.0.0.1:8080) and --api-key / REALID_API_KEY; in development, the demo account's test
 * key from the data dir, so `realid trigger check.completed` works right after `npm start`.
 */
export function apiClient(program: Command, options: { url?: string; apiKey?: string }): ApiClient {
  const config = configFromFlags(program, { REALID_URL: options.url, REALID_API_KEY: options.apiKey });
  let key = config.client.apiKey;
  if (!key) {
    const demo = path.join(config.dataDir, 'demo-credentials.json');
    if (existsSync(demo)) {
      key = JSON.parse(readFileSync(demo, 'utf8')).keys.test.key as string;
      process.stderr.write(`(using the demo account's test key from ${demo})\n`);
    }
  }
  if (!key) fail('give an API key with --api-key or REALID_API_KEY', EXIT.usage);
  const url = config.client.url;
  const raw = async (route: string, init: RequestInit = {}): Promise<Response> => {
    try {
      return await fetch(url + route, { ...init, headers: { authorization: `Bearer ${key}`, ...(init.headers ?? {}) } });
    } catch (error) {
      throw new ApiCallError(0, 'unreachable', `cannot reach Real ID at ${url} (${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}). Is it running? (npm start, or --url)`);
    }
  };
  return {
    url,
    key: key!,
    fetch: raw,
    async call(method, route, body) {
      const response = await raw(route, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      const parsed = text ? JSON.parse(text) : undefined;
      if (!response.ok) throw new ApiCallError(response.status, parsed?.code ?? 'unknown', parsed?.message ?? `HTTP ${response.status}`);
      return parsed;
    },
  };
}

/** Exit codes for API failures: 3 when the thing is not there, 1 otherwise. */
export function reportApiError(error: unknown): never {
  if (error instanceof ApiCallError) fail(`${error.message}${error.code !== 'unknown' && error.code !== 'unreachable' ? ` (${error.code})` : ''}`, error.status === 404 ? EXIT.notFound : EXIT.failed);
  fail((error as Error).message);
}

export const CLIENT_OPTIONS_HELP = 'Talks to a running service: --url (REALID_URL, default http://127.0.0.1:8080), --api-key (REALID_API_KEY).';
