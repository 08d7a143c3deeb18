import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.js';
import { normaliseEventType } from '../core/event-types.js';
import { listDeliveries, shownStatus, type DeliveryRow } from '../db/repos/deliveries.js';
import type { AttemptsTable } from '../db/schema.js';
import { getDeliveryWithAttempts, resendDelivery } from '../services/deliveries.js';
import { requireEnterprise } from './auth.js';
import { IdParams, errorResponses, iso } from './schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const STATUSES = ['pending', 'sending', 'succeeded', 'failed'] as const;
const Headers = Type.Record(Type.String(), Type.String());

const DeliveryOut = Type.Object({
  id: Type.String(), endpoint_id: Type.String(), event_id: Type.String(), event_type: Type.String(), check_id: Type.String(),
  status: Type.String({ description: 'pending (waiting for its next attempt) | sending (an attempt is under way) | succeeded | failed (gave up, or its endpoint was disabled or deleted)' }), attempt_count: Type.Integer(),
  next_attempt_at: Nullable(Type.String({ description: 'When the next attempt is due, while the delivery is open.' })),
  last_attempt_at: Nullable(Type.String()), last_status_code: Nullable(Type.Integer()), last_error: Nullable(Type.String()),
  created_at: Type.String(), finished_at: Nullable(Type.String()),
}, { $id: 'DeliveryOut' });
const AttemptOut = Type.Object({
  id: Type.String(), attempt_number: Type.Integer(), trigger: Type.String(), url: Type.String(), started_at: Type.String(),
  duration_ms: Type.Integer(), succeeded: Type.Boolean(), error_kind: Nullable(Type.String()), error_message: Nullable(Type.String()),
  request: Type.Object({ method: Type.String(), headers: Headers, body: Type.String() }),
  response: Nullable(Type.Object({ status: Type.Integer(), headers: Headers, body: Type.String({ description: 'The first 20 kB.' }) })),
});
const DeliveryDetailOut = Type.Object({ ...DeliveryOut.properties, payload: Type.String(), attempts: Type.Array(AttemptOut) });
const ListQuery = Type.Object({
  endpoint_id: Type.Optional(Type.String({ maxLength: 64 })),
  event_type: Type.Optional(Type.String({ maxLength: 100 })),
  check_id: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
  starting_after: Type.Optional(Type.String({ maxLength: 64, description: 'next_cursor from the previous page.' })),
  cursor: Type.Optional(Type.String({ maxLength: 64, description: 'The same as starting_after.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
}, { additionalProperties: false });

function deliveryOut(row: DeliveryRow, now: number) {
  const status = shownStatus(row, now);
  const open = status === 'pending' || status === 'sending';
  return {
    id: row.id, endpoint_id: row.endpoint_id, event_id: row.event_id, event_type: row.event_type, check_id: row.check_id,
    status, attempt_count: row.attempt_count, next_attempt_at: open ? iso(row.next_attempt_at) : null,
    last_attempt_at: iso(row.last_attempt_at), last_status_code: row.last_status_code, last_error: row.last_error,
    created_at: iso(row.created_at)!, finished_at: iso(row.finished_at),
  };
}

function attemptOut(row: AttemptsTable, payload: string) {
  return {
    id: row.id, attempt_number: row.attempt_number, trigger: row.trigger, url: row.url, started_at: iso(row.started_at)!,
    duration_ms: row.duration_ms, succeeded: row.succeeded === 1, error_kind: row.error_kind, error_message: row.error_message,
    request: { method: 'POST', headers: JSON.parse(row.request_headers) as Record<string, string>, body: payload },
    response: row.status_code === null ? null : { status: row.status_code, headers: JSON.parse(row.response_headers ?? '{}') as Record<string, string>, body: row.response_body ?? '' },
  };
}

/** The delivery log (Enterprise): every webhook sent, each attempt with request and response, and resend. */
export function register(app: FastifyInstance, ctx: AppContext): void {
  const tags = ['Webhook deliveries'];

  app.get<{ Querystring: Static<typeof ListQuery> }>('/api/v1/deliveries', {
    schema: { operationId: 'v1.delivery.list', tags, querystring: ListQuery, response: { 200: Type.Object({ data: Type.Array(DeliveryOut), has_more: Type.Boolean(), next_cursor: Nullable(Type.String()) }), ...errorResponses } },
  }, async (request) => {
    const { accountId } = requireEnterprise(request);
    const { endpoint_id, event_type, check_id, status } = request.query;
    const cursor = request.query.starting_after ?? request.query.cursor;
    const limit = request.query.limit ?? 50;
    const now = Date.now();
    const rows = await listDeliveries(ctx.db.kysely, {
      accountId, endpointId: endpoint_id, eventType: event_type ? normaliseEventType(event_type) ?? event_type : undefined,
      checkId: check_id, status, before: cursor, limit: limit + 1, now,
    });
    const page = rows.slice(0, limit);
    const hasMore = rows.length > limit;
    return { data: page.map((row) => deliveryOut(row, now)), has_more: hasMore, next_cursor: hasMore ? page[page.length - 1].id : null };
  });

  app.get<{ Params: Static<typeof IdParams> }>('/api/v1/deliveries/:id', {
    schema: { operationId: 'v1.delivery.get', tags, params: IdParams, response: { 200: DeliveryDetailOut, ...errorResponses } },
  }, async (request) => {
    const { delivery, attempts } = await getDeliveryWithAttempts(ctx, requireEnterprise(request).accountId, request.params.id);
    return { ...deliveryOut(delivery, Date.now()), payload: delivery.payload, attempts: attempts.map((a) => attemptOut(a, delivery.payload)) };
  });

  app.post<{ Params: Static<typeof IdParams> }>('/api/v1/deliveries/:id/resend', {
    schema: { operationId: 'v1.delivery.resend', tags, params: IdParams, response: { 202: DeliveryOut, ...errorResponses } },
  }, async (request, reply) => {
    const { accountId } = requireEnterprise(request);
    await resendDelivery(ctx, accountId, request.params.id);
    const { delivery } = await getDeliveryWithAttempts(ctx, accountId, request.params.id);
    return reply.status(202).send(deliveryOut(delivery, Date.now()));
  });
}
