import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { EVENT_TYPES } from '../core/event-types.js';
import { listEndpoints } from '../db/repos/endpoints.js';
import type { EndpointsTable } from '../db/schema.js';
import { createEndpoint, deleteEndpoint, endpointEvents, getEndpoint, patchEndpoint, type Recovery } from '../services/endpoints.js';
import { endpointHealth } from '../services/endpoints-health.js';
import { recoverEndpoint, sendTestEvent } from '../services/endpoints-recovery.js';
import { requireEnterprise } from './auth.js';
import { IdParams, errorResponses, iso } from './schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const EventName = Type.String({ minLength: 1, maxLength: 100, description: `One of ${EVENT_TYPES.join(', ')}; check.created is accepted for check.delivered.` });

const fields = {
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'Where webhooks are POSTed: an absolute http(s) URL.' }),
  description: Type.String({ maxLength: 500 }),
  events: Type.Array(EventName, { maxItems: 20, description: 'The events this endpoint takes; all eight when omitted or empty.' }),
  include_testing: Type.Boolean({ description: 'Also send events of test checks (default true).' }),
  ordered: Type.Boolean({ description: 'Deliver each check\'s events in order: a later one waits until the earlier one succeeded or was given up.' }),
  rate_limit_per_second: Nullable(Type.Integer({ minimum: 1, maximum: 10_000, description: 'At most this many webhooks per second (per worker process).' })),
  disabled: Type.Boolean(),
};

const EndpointIn = Type.Object({
  url: fields.url,
  description: Type.Optional(fields.description),
  events: Type.Optional(fields.events),
  include_testing: Type.Optional(fields.include_testing),
  ordered: Type.Optional(fields.ordered),
  rate_limit_per_second: Type.Optional(fields.rate_limit_per_second),
  disabled: Type.Optional(fields.disabled),
}, { additionalProperties: false });
const EndpointPatch = Type.Partial(EndpointIn, { additionalProperties: false });

const HealthOut = Type.Object({
  success_rate: Nullable(Type.Number({ description: 'Successful share of the last 24 h of attempts (at most the last 100).' })),
  attempts_considered: Type.Integer(),
  last_success_at: Nullable(Type.String()),
  last_failure_at: Nullable(Type.String()),
  failing_since: Nullable(Type.String({ description: 'Set while every attempt fails; the endpoint is disabled when this gets old.' })),
  disabled_reason: Nullable(Type.String()),
});
const EndpointOut = Type.Object({
  id: Type.String(), url: Type.String(), description: Type.String(), events: Type.Array(Type.String()),
  include_testing: Type.Boolean(), ordered: Type.Boolean(), rate_limit_per_second: Nullable(Type.Integer()),
  disabled: Type.Boolean(), disabled_reason: Nullable(Type.String()), disabled_at: Nullable(Type.String()),
  failing_since: Nullable(Type.String()), created_at: Type.String(), updated_at: Type.String(),
  health: HealthOut,
}, { $id: 'EndpointOut' });
const RecoveryOut = Type.Object({
  missed: Type.Integer({ description: 'Deliveries that failed, and events never sent, since `since`.' }),
  since: Type.String(),
  recover: Type.Object({ method: Type.String(), path: Type.String(), body: Type.Object({ since: Type.String() }) }, { description: 'The call that re-queues them.' }),
});
const EndpointPatchedOut = Type.Object({ ...EndpointOut.properties, recovery: Type.Optional(RecoveryOut) });
const RecoverIn = Type.Object({ since: Type.String({ format: 'date-time', description: 'Re-queue what failed or was missed from this time on.' }) }, { additionalProperties: false });
const ListQuery = Type.Object({
  starting_after: Type.Optional(Type.String({ maxLength: 64, description: 'next_cursor from the previous page.' })),
  after: Type.Optional(Type.String({ maxLength: 64, description: 'The same as starting_after.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
}, { additionalProperties: false });

async function endpointOut(ctx: AppContext, row: EndpointsTable) {
  const health = await endpointHealth(ctx.db.kysely, row);
  return {
    id: row.id, url: row.url, description: row.description, events: endpointEvents(row),
    include_testing: row.include_testing === 1, ordered: row.ordered === 1, rate_limit_per_second: row.rate_limit_per_second,
    disabled: row.disabled === 1, disabled_reason: row.disabled_reason, disabled_at: iso(row.disabled_at),
    failing_since: iso(row.failing_since), created_at: iso(row.created_at)!, updated_at: iso(row.updated_at)!,
    health: { ...health, last_success_at: iso(health.last_success_at), last_failure_at: iso(health.last_failure_at), failing_since: iso(health.failing_since) },
  };
}

function recoveryOut(id: string, recovery: Recovery) {
  const since = iso(recovery.since)!;
  return { missed: recovery.missed, since, recover: { method: 'POST', path: `/api/v1/webhook-endpoints/${id}/recover`, body: { since } } };
}

/** Webhook endpoints (Enterprise): where webhooks go, which events, and the tools to repair a missed stretch. */
export function register(app: FastifyInstance, ctx: AppContext): void {
  const tags = ['Webhook endpoints'];
  const base = '/api/v1/webhook-endpoints';

  app.post<{ Body: Static<typeof EndpointIn> }>(base, {
    schema: { operationId: 'v1.endpoint.create', tags, body: EndpointIn, response: { 201: EndpointOut, ...errorResponses } },
  }, async (request, reply) => {
    const { accountId } = requireEnterprise(request);
    return reply.status(201).send(await endpointOut(ctx, await createEndpoint(ctx, accountId, request.body)));
  });

  app.get<{ Querystring: Static<typeof ListQuery> }>(base, {
    schema: { operationId: 'v1.endpoint.list', tags, querystring: ListQuery, response: { 200: Type.Object({ data: Type.Array(EndpointOut), has_more: Type.Boolean(), next_cursor: Nullable(Type.String()) }), ...errorResponses } },
  }, async (request) => {
    const { accountId } = requireEnterprise(request);
    const limit = request.query.limit ?? 50;
    const rows = await listEndpoints(ctx.db.kysely, accountId, request.query.starting_after ?? request.query.after, limit + 1);
    const page = rows.slice(0, limit);
    const hasMore = rows.length > limit;
    return { data: await Promise.all(page.map((row) => endpointOut(ctx, row))), has_more: hasMore, next_cursor: hasMore ? page[page.length - 1].id : null };
  });

  app.get<{ Params: Static<typeof IdParams> }>(`${base}/:id`, {
    schema: { operationId: 'v1.endpoint.get', tags, params: IdParams, response: { 200: EndpointOut, ...errorResponses } },
  }, async (request) => endpointOut(ctx, await getEndpoint(ctx, requireEnterprise(request).accountId, request.params.id)));

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof EndpointPatch> }>(`${base}/:id`, {
    schema: { operationId: 'v1.endpoint.update', tags, params: IdParams, body: EndpointPatch, response: { 200: EndpointPatchedOut, ...errorResponses } },
  }, async (request) => {
    const { row, recovery } = await patchEndpoint(ctx, requireEnterprise(request).accountId, request.params.id, request.body ?? {});
    const out = await endpointOut(ctx, row);
    return recovery ? { ...out, recovery: recoveryOut(row.id, recovery) } : out;
  });

  app.delete<{ Params: Static<typeof IdParams> }>(`${base}/:id`, {
    schema: { operationId: 'v1.endpoint.delete', tags, params: IdParams, response: { 200: Type.Object({ id: Type.String(), deleted: Type.Boolean() }), ...errorResponses } },
  }, async (request) => {
    await deleteEndpoint(ctx, requireEnterprise(request).accountId, request.params.id);
    return { id: request.params.id, deleted: true };
  });

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof RecoverIn> }>(`${base}/:id/recover`, {
    schema: { operationId: 'v1.endpoint.recover', tags, params: IdParams, body: RecoverIn, response: { 202: Type.Object({ recovered: Type.Integer() }), ...errorResponses } },
  }, async (request, reply) => {
    const since = Date.parse(request.body.since);
    if (since > Date.now()) throw new AppError('RID_ERR_VALIDATION', 'since is in the future.');
    const recovered = await recoverEndpoint(ctx, requireEnterprise(request).accountId, request.params.id, since);
    return reply.status(202).send({ recovered });
  });

  app.post<{ Params: Static<typeof IdParams> }>(`${base}/:id/test`, {
    schema: { operationId: 'v1.endpoint.sendTest', tags, params: IdParams, response: { 202: Type.Object({ event_id: Type.String(), delivery_id: Type.String(), payload: Type.String() }), ...errorResponses } },
  }, async (request, reply) => {
    const { event, deliveryId } = await sendTestEvent(ctx, requireEnterprise(request).accountId, request.params.id);
    return reply.status(202).send({ event_id: event.id, delivery_id: deliveryId, payload: event.payload });
  });
}
