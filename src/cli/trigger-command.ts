import type { Command } from 'commander';
import { EVENT_TYPES, normaliseEventType, type EventType } from '../core/event-types.js';
import { apiClient, CLIENT_OPTIONS_HELP, reportApiError, type ApiClient } from './api-client.js';
import { EXIT, fail, printJson } from './run-command.js';

const PRIVACY_REQUEST_OF: Partial<Record<EventType, string>> = {
  'customer.data_request': 'data_request',
  'customer.manual_review_requested': 'manual_review',
  'customer.data_deletion_request': 'data_deletion',
};

/** The simulate calls that make a fresh test check emit `type` (after its own check.delivered). */
const SIMULATIONS: Partial<Record<EventType, object[]>> = {
  'check.opened': [{ action: 'open' }],
  'check.submitted-photo': [{ action: 'open' }, { action: 'submit_photo', kind: 'id_front' }],
  'check.completed': [{ action: 'complete' }],
  'check.failed': [{ action: 'fail', error: 'UnreadableIdError' }],
};

/** Creates a test check and drives it until `type` fires; returns the check id and the events it produced. */
export async function trigger(client: ApiClient, type: EventType) {
  const created = await client.call('POST', '/api/v1/checks', {
    customer: { first_name: 'Test', last_name: 'Customer', email: 'test.customer@example.com' },
    rules: { testing: true },
  });
  const check = created.check as { id: string; link: string };
  for (const body of SIMULATIONS[type] ?? []) await client.call('POST', `/api/v1/checks/${check.id}/simulate`, body);
  const privacy = PRIVACY_REQUEST_OF[type];
  if (privacy) {
    const token = new URL(check.link).pathname.split('/').pop()!;
    await client.call('POST', `/api/v1/customer/checks/${encodeURIComponent(token)}/privacy-requests`, { type: privacy });
  }
  const events = await client.call('GET', `/api/v1/events?check_id=${check.id}&limit=100`);
  return { check_id: check.id, events: (events.data as Array<{ id: string; type: string }>).map((e) => ({ id: e.id, type: e.type })) };
}

export function registerTrigger(program: Command): void {
  program.command('trigger')
    .description('Make an event happen for real: creates a test check and drives it until the event fires (with every event before it).')
    .argument('<event>', EVENT_TYPES.join(' | '))
    .option('--url <url>', 'the service (REALID_URL)')
    .option('--api-key <key>', 'an API key (REALID_API_KEY)')
    .option('--json', 'print the check id and the events as JSON')
    .addHelpText('after', `\n${CLIENT_OPTIONS_HELP}\n\nExamples:\n  $ realid trigger check.completed\n  $ realid trigger customer.data_deletion_request --json\n`)
    .action(async (name: string, options: { url?: string; apiKey?: string; json?: boolean }) => {
      const type = normaliseEventType(name);
      if (!type) fail(`"${name}" is not an event; choose one of ${EVENT_TYPES.join(', ')}`, EXIT.usage);
      try {
        const result = await trigger(apiClient(program, options), type);
        if (options.json) return printJson(result);
        process.stdout.write(`check ${result.check_id}\n`);
        for (const event of result.events) process.stdout.write(`  ${event.type.padEnd(34)} ${event.id}\n`);
      } catch (error) {
        reportApiError(error);
      }
    });
}
