import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import type { EventType } from '../core/event-types.js';
import { newId } from '../core/ids.js';
import { inTransaction } from '../db/database.js';
import { failOpenDeliveriesOf, oldestFailedFinishedSince } from '../db/repos/deliveries.js';
import { findEndpoint, insertEndpoint, updateEndpoint } from '../db/repos/endpoints.js';
import { recoverableSince } from '../delivery/retention.js';
import type { EndpointsTable } from '../db/schema.js';
import { checkEndpointUrl, normaliseEventTypes } from './endpoints-validation.js';
import { countMissedSince } from './endpoints-recovery.js';

export interface EndpointInput {
  url: string;
  description?: string;
  events?: string[];
  include_testing?: boolean;
  ordered?: boolean;
  rate_limit_per_second?: number | null;
  disabled?: boolean;
}

/** After a re-enable: what the endpoint missed while it was failing or off, and how to get it back. */
export interface Recovery {
  missed: number;
  since: number;
}

export function endpointEvents(row: EndpointsTable): EventType[] {
  return JSON.parse(row.event_types) as EventType[];
}

export async function createEndpoint(ctx: AppContext, accountId: string, input: EndpointInput): Promise<EndpointsTable> {
  const now = Date.now();
  const row: EndpointsTable = {
    id: newId('ep', now),
    account_id: accountId,
    url: checkEndpointUrl(input.url, ctx.config.delivery.allowDestinations),
    description: input.description ?? '',
    event_types: JSON.stringify(normaliseEventTypes(input.events)),
    include_testing: input.include_testing === false ? 0 : 1,
    ordered: input.ordered ? 1 : 0,
    rate_limit_per_second: input.rate_limit_per_second ?? null,
    disabled: input.disabled ? 1 : 0,
    disabled_reason: input.disabled ? 'Disabled when it was created.' : null,
    disabled_at: input.disabled ? now : null,
    failing_since: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await insertEndpoint(ctx.db.kysely, row);
  return row;
}

export async function getEndpoint(ctx: AppContext, accountId: string, id: string): Promise<EndpointsTable> {
  const row = await findEndpoint(ctx.db.kysely, accountId, id);
  if (!row) throw new AppError('RID_ERR_ENDPOINT_NOT_FOUND');
  return row;
}

/**
 * Applies a PATCH. Disabling fails what was still queued for the endpoint (recover brings it
 * back); re-enabling clears the failure state and reports how much was missed, so the merchant
 * can decide to recover it.
 */
export async function patchEndpoint(ctx: AppContext, accountId: string, id: string, patch: Partial<EndpointInput>): Promise<{ row: EndpointsTable; recovery: Recovery | null }> {
  const now = Date.now();
  return inTransaction(ctx.db, async (tx) => {
    const current = await findEndpoint(tx, accountId, id);
    if (!current) throw new AppError('RID_ERR_ENDPOINT_NOT_FOUND');
    const changes: Partial<EndpointsTable> = { updated_at: now };
    if (patch.url !== undefined) changes.url = checkEndpointUrl(patch.url, ctx.config.delivery.allowDestinations);
    if (patch.description !== undefined) changes.description = patch.description;
    if (patch.events !== undefined) changes.event_types = JSON.stringify(normaliseEventTypes(patch.events));
    if (patch.include_testing !== undefined) changes.include_testing = patch.include_testing ? 1 : 0;
    if (patch.ordered !== undefined) changes.ordered = patch.ordered ? 1 : 0;
    if (patch.rate_limit_per_second !== undefined) changes.rate_limit_per_second = patch.rate_limit_per_second;
    let recovery: Recovery | null = null;
    if (patch.disabled === true && !current.disabled) {
      Object.assign(changes, { disabled: 1, disabled_at: now, disabled_reason: 'Disabled by a user.' });
      await failOpenDeliveriesOf(tx, [id], 'endpoint disabled by a user', now);
    } else if (patch.disabled === false && current.disabled) {
      // A delivery created just before the failures began still failed within them: start from the oldest such.
      const runStart = current.failing_since ?? current.disabled_at ?? now;
      // The preview counts what recover would re-queue: nothing retention is about to purge.
      const since = recoverableSince(ctx.config, Math.min(runStart, (await oldestFailedFinishedSince(tx, id, runStart)) ?? runStart), now);
      recovery = { since, missed: await countMissedSince(tx, current, since) };
      Object.assign(changes, { disabled: 0, disabled_at: null, disabled_reason: null, failing_since: null });
    }
    await updateEndpoint(tx, id, changes);
    return { row: { ...current, ...changes }, recovery };
  });
}

/** A soft delete: the endpoint and its queue stop at once, its delivery log stays until retention. */
export async function deleteEndpoint(ctx: AppContext, accountId: string, id: string): Promise<void> {
  const now = Date.now();
  await inTransaction(ctx.db, async (tx) => {
    if (!(await findEndpoint(tx, accountId, id))) throw new AppError('RID_ERR_ENDPOINT_NOT_FOUND');
    await updateEndpoint(tx, id, { deleted_at: now, disabled: 1, disabled_at: now, disabled_reason: 'Deleted.', updated_at: now });
    await failOpenDeliveriesOf(tx, [id], 'endpoint deleted', now);
  });
}
