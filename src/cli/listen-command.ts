import type { Command } from 'commander';
import { normaliseEventType } from '../core/event-types.js';
import { signatureHeaders } from '../core/signing.js';
import { USER_AGENT } from '../delivery/user-agent.js';
import { apiClient, CLIENT_OPTIONS_HELP, reportApiError, type ApiClient } from './api-client.js';
import { EXIT, fail } from './run-command.js';
import { readSse } from './sse.js';

interface StreamedEvent {
  id: string;
  type: string;
  created_at: string;
  data: unknown;
}

/** The signing secrets (current first) the service would sign real deliveries with. */
async function signingSecrets(client: ApiClient): Promise<string[]> {
  const body = await client.call('GET', '/api/v1/webhook-secret');
  const all = [body.current, ...(body.previous ?? [])] as Array<{ secret: string } | null>;
  return all.filter((s): s is { secret: string } => s !== null).map((s) => s.secret);
}

/**
 * POSTs one event to the local URL exactly as a real delivery would carry it: the same body bytes
 * (the payload is canonical JSON, so re-serialising the parsed form gives them back), the same
 * User-Agent and both signature schemes.
 */
export async function forwardEvent(target: string, event: StreamedEvent, secrets: string[]) {
  const body = JSON.stringify(event.data);
  const headers = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    ...signatureHeaders({ eventId: event.id, timestampSeconds: Math.floor(Date.now() / 1000), body, secrets }),
  };
  const started = performance.now();
  try {
    const response = await fetch(target, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
    await response.arrayBuffer();
    return { status: response.status, ms: Math.round(performance.now() - started), error: null as string | null };
  } catch (error) {
    return { status: null, ms: Math.round(performance.now() - started), error: (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message };
  }
}

export function registerListen(program: Command): void {
  program.command('listen')
    .description('Stream your account\'s events from the service and POST each to a local URL with the headers and signatures of a real delivery: local development without a public tunnel.')
    .requiredOption('--forward-to <url>', 'where to POST each event, e.g. http://localhost:3000/webhooks')
    .option('--events <types>', 'only these event types, comma-separated')
    .option('--after <event-id>', 'first replay the events after this one')
    .option('--url <url>', 'the service (REALID_URL)')
    .option('--api-key <key>', 'an API key (REALID_API_KEY)')
    .option('--json', 'print one JSON line per forwarded event')
    .addHelpText('after', `\n${CLIENT_OPTIONS_HELP}\n\nExample:\n  $ realid listen --forward-to http://localhost:3000/webhooks --events check.completed,check.failed\n`)
    .action(async (options: { forwardTo: string; events?: string; after?: string; url?: string; apiKey?: string; json?: boolean }) => {
      if (!/^https?:\/\//.test(options.forwardTo)) fail('--forward-to must be an http:// or https:// URL', EXIT.usage);
      for (const type of options.events?.split(',') ?? []) if (!normaliseEventType(type.trim())) fail(`"${type}" is not an event type`, EXIT.usage);
      const client = apiClient(program, options);
      let secrets: string[];
      try {
        secrets = await signingSecrets(client);
      } catch (error) {
        return reportApiError(error);
      }
      process.stderr.write(`Ready. Forwarding events to ${options.forwardTo}\nYour webhook signing secret is ${secrets[0]} (Ctrl-C to stop)\n`);
      let after = options.after;
      let backoff = 500;
      for (;;) {
        try {
          const query = new URLSearchParams();
          if (after) query.set('after', after);
          if (options.events) query.set('type', options.events);
          const response = await client.fetch(`/api/v1/events/stream?${query}`, { headers: { accept: 'text/event-stream' } });
          if (!response.ok || !response.body) {
            const text = await response.text();
            fail(`the event stream answered ${response.status}: ${text.slice(0, 300)}`, response.status === 401 || response.status === 403 ? EXIT.failed : EXIT.failed);
          }
          backoff = 500;
          for await (const message of readSse(response.body)) {
            const event = JSON.parse(message.data) as StreamedEvent;
            after = event.id;
            const result = await forwardEvent(options.forwardTo, event, secrets);
            if (options.json) process.stdout.write(JSON.stringify({ event_id: event.id, type: event.type, status: result.status, ms: result.ms, error: result.error }) + '\n');
            else process.stdout.write(`${new Date().toISOString()}  ${event.type.padEnd(34)} ${event.id}  → ${result.status ?? result.error} (${result.ms} ms)\n`);
          }
        } catch (error) {
          process.stderr.write(`stream interrupted (${(error as Error).message}); reconnecting…\n`);
        }
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, 10_000);
      }
    });
}
