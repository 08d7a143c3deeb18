import type { EventType } from '../../src/core/event-types.js';
import { newId } from '../../src/core/ids.js';
import { inTransaction } from '../../src/db/database.js';
import type { EventsTable } from '../../src/db/schema.js';
import { recordEvent } from '../../src/services/outbox.js';
import type { NewAccount } from '../../src/services/accounts.js';
import type { TestService } from '../support/service.js';

/** Records an event the way the checks code does: through the outbox, in a transaction. */
export function emitEvent(service: TestService, accountId: string, type: EventType, checkId: string, testing = true): Promise<EventsTable> {
  return inTransaction(service.ctx.db, (tx, hooks) => recordEvent(service.ctx, tx, hooks, { accountId, type, checkId, testing }));
}

/** Records `count` events in one transaction, so all their deliveries fall due at the same instant. */
export function emitEventsAtOnce(service: TestService, accountId: string, count: number): Promise<EventsTable[]> {
  return inTransaction(service.ctx.db, async (tx, hooks) => {
    const events: EventsTable[] = [];
    for (let i = 0; i < count; i++) events.push(await recordEvent(service.ctx, tx, hooks, { accountId, type: 'check.completed', checkId: newId('chk'), testing: true }));
    return events;
  });
}

/** A fresh Enterprise account with one endpoint at `url`; returns the account, its endpoint and its signing secret. */
export async function accountWithEndpoint(service: TestService, url: string, options: Record<string, unknown> = {}) {
  const account: NewAccount = await service.account();
  const key = account.keys.live.key;
  const created = await service.api(key, 'POST', '/api/v1/webhook-endpoints', { url, ...options });
  if (created.status !== 201) throw new Error(`endpoint not created: ${JSON.stringify(created.body)}`);
  const secret = (await service.api(key, 'GET', '/api/v1/webhook-secret')).body.current.secret as string;
  return { account, key, endpoint: created.body, secret };
}

/** A check id in our format; the outbox does not need the check to exist. */
export const fakeCheckId = (): string => newId('chk');

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
