import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { apiKeyMode, hashApiKey, type KeyMode } from '../core/api-keys.js';
import { AppError } from '../core/errors.js';
import type { Plan } from '../db/repos/accounts.js';
import { findActiveKeyByHash, touchApiKey } from '../db/repos/api-keys.js';
import { findLiveSession } from '../db/repos/sessions.js';

/** Who is calling: an API key (mode decides test or live objects) or a signed-in dashboard user. */
export interface Principal {
  accountId: string;
  plan: Plan;
  mode: KeyMode;
  via: 'api_key' | 'session';
  keyId: string | null;
  userId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = 'rid_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Writing last_used_at on every request would turn every read into a write; once a minute is plenty.
const TOUCH_INTERVAL_MS = 60_000;

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function fromApiKey(ctx: AppContext, header: string): Promise<Principal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError('RID_ERR_UNAUTHENTICATED', 'The Authorization header must be "Bearer <api key>".');
  const key = match[1];
  if (!apiKeyMode(key)) throw new AppError('RID_ERR_INVALID_API_KEY', 'That is not a Real ID API key (they start with rid_test_ or rid_live_).');
  const row = await findActiveKeyByHash(ctx.db.kysely, hashApiKey(key));
  if (!row) throw new AppError('RID_ERR_INVALID_API_KEY');
  const now = Date.now();
  if (!row.last_used_at || now - row.last_used_at > TOUCH_INTERVAL_MS) await touchApiKey(ctx.db.kysely, row.id, now);
  return { accountId: row.account_id, plan: row.plan, mode: row.mode, via: 'api_key', keyId: row.id, userId: null };
}

async function fromSession(ctx: AppContext, request: FastifyRequest, token: string): Promise<Principal> {
  const session = await findLiveSession(ctx.db.kysely, hashSessionToken(token), Date.now());
  if (!session) throw new AppError('RID_ERR_SESSION_EXPIRED');
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameText(sent, session.csrf_token)) throw new AppError('RID_ERR_CSRF');
  }
  return { accountId: session.account_id, plan: session.plan, mode: 'live', via: 'session', keyId: null, userId: session.user_id };
}

/** An onRequest hook: authenticates by bearer key, else by session cookie (with CSRF on writes). */
export function authenticate(ctx: AppContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    if (header) {
      request.principal = await fromApiKey(ctx, header);
      return;
    }
    const token = request.cookies?.[SESSION_COOKIE];
    if (token) {
      request.principal = await fromSession(ctx, request, token);
      return;
    }
    throw new AppError('RID_ERR_UNAUTHENTICATED');
  };
}

/** The caller of an authenticated route (the hook guarantees it is set). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('RID_ERR_UNAUTHENTICATED');
  return request.principal;
}

/** Webhooks are an Enterprise feature (the seed): everything under them answers 403 otherwise. */
export function requireEnterprise(request: FastifyRequest): Principal {
  const principal = principalOf(request);
  if (principal.plan !== 'enterprise') throw new AppError('RID_ERR_PLAN_REQUIRED');
  return principal;
}
