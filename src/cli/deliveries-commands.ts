import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { parseDuration } from '../core/duration.js';
import { apiClient, CLIENT_OPTIONS_HELP, reportApiError, type ApiClient } from './api-client.js';
import { EXIT, fail } from './run-command.js';

interface DeliveryOut {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempt_count: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every open (pending or sending) delivery of an endpoint, walking the pages. */
async function openDeliveries(client: ApiClient, endpointId: string, cap: number): Promise<DeliveryOut[]> {
  const out: DeliveryOut[] = [];
  for (const status of ['pending', 'sending']) {
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ endpoint_id: endpointId, status, limit: '100' });
      if (cursor) query.set('starting_after', cursor);
      const page = await client.call<{ data: DeliveryOut[]; next_cursor: string | null }>('GET', `/api/v1/deliveries?${query}`);
      out.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor && out.length < cap);
  }
  return out;
}

/** `2h`, `30m`, `1d` ago, or an ISO time. */
function parseSince(text: string): Date {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = new Date(text);
    if (!Number.isNaN(at.getTime())) return at;
  }
  try {
    return new Date(Date.now() - parseDuration(text));
  } catch {
    fail(`--since "${text}" is neither a duration (2h, 30m, 1d) nor an ISO time`, EXIT.usage);
  }
}

function describe(d: DeliveryOut): string {
  const outcome = d.last_status_code ?? d.last_error ?? '';
  return `${d.status.padEnd(9)} ${d.event_type.padEnd(34)} ${d.id}  attempts=${d.attempt_count} ${outcome}`.trimEnd();
}

export function registerDeliveryCommands(program: Command): void {
  const deliveries = program.command('deliveries').description('Watch webhook deliveries.');
  deliveries.command('tail')
    .description('Print deliveries as they are made and as their status changes, until Ctrl-C.')
    .option('--endpoint <id>', 'only this endpoint')
    .option('--url <url>', 'the service (REALID_URL)')
    .option('--api-key <key>', 'an API key (REALID_API_KEY)')
    .option('--json', 'one JSON object per line')
    .option('--interval <duration>', 'how often to look', '1s')
    .addHelpText('after', `\n${CLIENT_OPTIONS_HELP}\n\nExample:\n  $ realid deliveries tail --endpoint ep_01J… --json\n`)
    .action(async (options: { endpoint?: string; url?: string; apiKey?: string; json?: boolean; interval: string }) => {
      const client = apiClient(program, options);
      const interval = parseDuration(options.interval);
      const seen = new Map<string, string>();
      let first = true;
      for (;;) {
        try {
          const query = new URLSearchParams({ limit: '100' });
          if (options.endpoint) query.set('endpoint_id', options.endpoint);
          const page = await client.call<{ data: DeliveryOut[] }>('GET', `/api/v1/deliveries?${query}`);
          // Oldest first on screen; on the first look only the last few, as `tail` does.
          const rows = [...page.data].reverse().slice(first ? -10 : 0);
          for (const d of rows) {
            const state = `${d.status}:${d.attempt_count}`;
            if (seen.get(d.id) === state) continue;
            seen.set(d.id, state);
            process.stdout.write(options.json ? JSON.stringify(d) + '\n' : `${new Date().toISOString()}  ${describe(d)}\n`);
          }
          first = false;
        } catch (error) {
          reportApiError(error);
        }
        await sleep(interval);
      }
    });

  program.command('recover')
    .description('Re-queue every delivery of an endpoint that failed (or was missed while it was disabled) since a time, and watch them go out.')
    .requiredOption('--endpoint <id>', 'the endpoint')
    .requiredOption('--since <when>', 'a duration ago (2h, 30m, 1d) or an ISO time')
    .option('--no-wait', 'do not wait for the re-queued deliveries to be attempted')
    .option('--timeout <duration>', 'stop waiting after this long', '10m')
    .option('--url <url>', 'the service (REALID_URL)')
    .option('--api-key <key>', 'an API key (REALID_API_KEY)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', `\n${CLIENT_OPTIONS_HELP}\n\nExit codes: 0 all delivered, 1 some are failing again (they keep their retry schedule), 3 no such endpoint.\n\nExample:\n  $ realid recover --endpoint ep_01J… --since 2h\n`)
    .action(async (options: { endpoint: string; since: string; wait: boolean; timeout: string; url?: string; apiKey?: string; json?: boolean }) => {
      const client = apiClient(program, options);
      const since = parseSince(options.since);
      const started = Date.now();
      let recovered: number;
      try {
        recovered = (await client.call<{ recovered: number }>('POST', `/api/v1/webhook-endpoints/${encodeURIComponent(options.endpoint)}/recover`, { since: since.toISOString() })).recovered;
      } catch (error) {
        return reportApiError(error);
      }
      if (!options.json) process.stderr.write(`Re-queued ${recovered} deliveries since ${since.toISOString()}.\n`);
      if (!options.wait || recovered === 0) {
        if (options.json) process.stdout.write(JSON.stringify({ recovered, delivered: null, failing_again: null }) + '\n');
        return;
      }
      // A recovered delivery is done once it has had an attempt since we started: succeeded, or failed
      // again and waiting for its next retry. The bar counts those; the rest are still queued.
      const bar = new cliProgress.SingleBar({
        format: 'recovering [{bar}] {value}/{total} attempted | {failing} failing again',
        stream: process.stderr, noTTYOutput: !options.json, notTTYSchedule: 1000, hideCursor: true,
      }, cliProgress.Presets.shades_classic);
      if (!options.json) bar.start(recovered, 0, { failing: 0 });
      const deadline = started + parseDuration(options.timeout);
      let failing = 0;
      let waiting = recovered;
      while (Date.now() < deadline) {
        const open = await openDeliveries(client, options.endpoint, recovered + 500).catch(reportApiError);
        const retrying = open.filter((d) => d.last_attempt_at && Date.parse(d.last_attempt_at) >= started - 1000 && d.status === 'pending');
        failing = retrying.length;
        waiting = Math.max(0, Math.min(recovered, open.length - failing));
        if (!options.json) bar.update(recovered - waiting, { failing });
        if (waiting === 0) break;
        await sleep(500);
      }
      if (!options.json) bar.stop();
      const delivered = Math.max(0, recovered - waiting - failing);
      if (options.json) process.stdout.write(JSON.stringify({ recovered, delivered, failing_again: failing, still_queued: waiting }) + '\n');
      else process.stderr.write(`${delivered} delivered, ${failing} failing again${waiting ? `, ${waiting} still queued (timed out waiting)` : ''}.\n`);
      if (failing > 0 || waiting > 0) process.exitCode = EXIT.failed;
    });
}
