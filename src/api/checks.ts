import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { listChecks } from '../db/repos/checks.js';
import { createCheck, decideCheck, getCheck } from '../services/checks.js';
import { redactCheck } from '../services/checks-redact.js';
import { type SimulateAction, simulateCheck } from '../services/checks-simulate.js';
import { checkOut } from '../services/checks-view.js';
import { principalOf } from './auth.js';
import { CheckCreatedOut, CheckIn, CheckListOut, CheckListQuery, CheckOut, SimulateIn } from './checks-schemas.js';
import { IdParams, errorResponses } from './schemas.js';

const tags = ['Checks'];
const WithPhotosQuery = Type.Object({ withPhotos: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

/**
 * The merchant's checks: create (the customer gets a link), read, list, decide by hand, redact,
 * and simulate test checks.
 *
 * @example
 *   curl -X POST $URL/api/v1/checks -H "Authorization: Bearer $RID_TEST_KEY" -H 'content-type: application/json' \
 *     -d '{"customer":{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"},"rules":{"id_check_type":"idv"}}'
 */
export function register(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: Static<typeof CheckIn> }>('/api/v1/checks', {
    schema: { operationId: 'v1.check.create', tags, body: CheckIn, response: { 201: CheckCreatedOut, ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await createCheck(ctx, { accountId: principal.accountId, mode: principal.mode, keyId: principal.keyId }, request.body);
    return reply.status(201).send({ message: 'Delivered ID check', check: checkOut(ctx, row) });
  });

  app.get<{ Querystring: Static<typeof CheckListQuery> }>('/api/v1/checks', {
    schema: { operationId: 'v1.check.list', tags, querystring: CheckListQuery, response: { 200: CheckListOut, ...errorResponses } },
  }, async (request) => {
    const query = request.query;
    if (query.page && query.starting_after) throw new AppError('RID_ERR_VALIDATION', 'Use either page or starting_after, not both.');
    const limit = query.limit ?? 20;
    const rows = await listChecks(ctx.db.kysely, {
      accountId: principalOf(request).accountId,
      step: query.step,
      testing: query.testing,
      createdAfter: query.created_after ? Date.parse(query.created_after) : undefined,
      createdBefore: query.created_before ? Date.parse(query.created_before) : undefined,
      search: query.search?.trim() || undefined,
      startingAfter: query.starting_after,
      offset: query.page ? (query.page - 1) * limit : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const hasMore = rows.length > limit;
    const next = hasMore ? page[page.length - 1].id : null;
    return { data: page.map((row) => checkOut(ctx, row)), has_more: hasMore, next_cursor: next, next_starting_after: next };
  });

  app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof WithPhotosQuery> }>('/api/v1/checks/:id', {
    schema: { operationId: 'v1.check.get', tags, params: IdParams, querystring: WithPhotosQuery, response: { 200: CheckOut, ...errorResponses } },
  }, async (request) => getCheck(ctx, principalOf(request).accountId, request.params.id, request.query.withPhotos === true));

  for (const [path, decision, operationId] of [['manually-approve', 'approve', 'v1.check.manuallyApprove'], ['manually-reject', 'reject', 'v1.check.manuallyReject']] as const) {
    app.post<{ Params: Static<typeof IdParams> }>(`/api/v1/checks/:id/${path}`, {
      schema: {
        operationId, tags, params: IdParams, response: { 200: CheckOut, ...errorResponses },
        description: `Decides a check awaiting manual review, or moves a finished check to ${decision === 'approve' ? 'completed' : 'failed'}; sets manually_overridden and emits the event.`,
      },
    }, async (request) => checkOut(ctx, await decideCheck(ctx, principalOf(request).accountId, request.params.id, decision)));
  }

  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/checks/:id', {
    schema: {
      operationId: 'v1.check.redact', tags, params: IdParams, response: { 200: CheckOut, ...errorResponses },
      description: 'Redacts the check: photos, personal data, order and link are deleted; id, step, verdict and timestamps stay.',
    },
  }, async (request) => checkOut(ctx, await redactCheck(ctx, principalOf(request).accountId, request.params.id)));

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof SimulateIn> }>('/api/v1/checks/:id/simulate', {
    schema: {
      operationId: 'v1.check.simulate', tags, params: IdParams, body: SimulateIn, response: { 200: CheckOut, ...errorResponses },
      description: 'Test checks only (403 RID_ERR_LIVE_CHECK otherwise). open; submit_photo {kind?, error?}; complete; fail {error?}.',
    },
  }, async (request) => {
    const body = request.body as SimulateAction;
    return checkOut(ctx, await simulateCheck(ctx, principalOf(request).accountId, request.params.id, body));
  });
}
