import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { findAccount } from '../db/repos/accounts.js';
import { listApiKeys, revokeApiKey } from '../db/repos/api-keys.js';
import type { ApiKeysTable } from '../db/schema.js';
import { createApiKey } from '../services/accounts.js';
import { principalOf } from './auth.js';
import { IdParams, errorResponses, iso } from './schemas.js';

const ApiKeyOut = Type.Object({
  id: Type.String(), name: Type.String(), mode: Type.String(), hint: Type.String(),
  created_at: Type.String(), last_used_at: Type.Union([Type.String(), Type.Null()]), revoked_at: Type.Union([Type.String(), Type.Null()]),
}, { $id: 'ApiKeyOut' });
const ApiKeyCreatedOut = Type.Object({ ...ApiKeyOut.properties, key: Type.String({ description: 'The full key. Shown once: store it now.' }) });
const ApiKeyIn = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  mode: Type.Union([Type.Literal('test'), Type.Literal('live')]),
}, { additionalProperties: false });

const AccountOut = Type.Object({ id: Type.String(), name: Type.String(), plan: Type.String(), mode: Type.String(), webhooks_enabled: Type.Boolean() });

export function apiKeyOut(row: ApiKeysTable) {
  return { id: row.id, name: row.name, mode: row.mode, hint: row.hint, created_at: iso(row.created_at)!, last_used_at: iso(row.last_used_at), revoked_at: iso(row.revoked_at) };
}

/** The caller's account, and its API keys (shown once at creation, revocable). */
export function register(app: FastifyInstance, ctx: AppContext): void {
  const tags = ['Account'];

  app.get('/api/v1/account', { schema: { operationId: 'v1.account.get', tags, response: { 200: AccountOut, ...errorResponses } } }, async (request) => {
    const principal = principalOf(request);
    const account = await findAccount(ctx.db.kysely, principal.accountId);
    if (!account) throw new AppError('RID_ERR_NOT_FOUND');
    return { id: account.id, name: account.name, plan: account.plan, mode: principal.mode, webhooks_enabled: account.plan === 'enterprise' };
  });

  app.get('/api/v1/api-keys', {
    schema: { operationId: 'v1.apiKey.list', tags, response: { 200: Type.Object({ data: Type.Array(ApiKeyOut) }), ...errorResponses } },
  }, async (request) => ({ data: (await listApiKeys(ctx.db.kysely, principalOf(request).accountId)).map(apiKeyOut) }));

  app.post<{ Body: Static<typeof ApiKeyIn> }>('/api/v1/api-keys', {
    schema: { operationId: 'v1.apiKey.create', tags, body: ApiKeyIn, response: { 201: ApiKeyCreatedOut, ...errorResponses } },
  }, async (request, reply) => {
    const created = await createApiKey(ctx.db.kysely, principalOf(request).accountId, request.body.mode, request.body.name);
    return reply.status(201).send({ ...created, last_used_at: null, revoked_at: null });
  });

  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/api-keys/:id', {
    schema: { operationId: 'v1.apiKey.revoke', tags, params: IdParams, response: { 200: ApiKeyOut, ...errorResponses } },
  }, async (request) => {
    const row = await revokeApiKey(ctx.db.kysely, principalOf(request).accountId, request.params.id, Date.now());
    if (!row) throw new AppError('RID_ERR_API_KEY_NOT_FOUND');
    return apiKeyOut(row);
  });
}
