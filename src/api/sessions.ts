import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { verifyPassword } from '../core/passwords.js';
import { deleteSession, findLiveSession, insertSession } from '../db/repos/sessions.js';
import { findUserByEmail } from '../db/repos/users.js';
import { SESSION_COOKIE, hashSessionToken } from './auth.js';
import { errorResponses } from './schemas.js';

const SignInIn = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
}, { additionalProperties: false });

const SessionOut = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String() }),
  account: Type.Object({ id: Type.String(), name: Type.String(), plan: Type.String() }),
  csrf_token: Type.String(),
  expires_at: Type.String(),
});

// A constant hash to verify against when the email is unknown, so timing does not reveal which emails exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Dashboard sign-in: an HttpOnly, SameSite=Lax session cookie plus a CSRF token for writes. */
export function register(app: FastifyInstance, ctx: AppContext): void {
  const secure = ctx.config.publicUrl.startsWith('https://');

  app.post<{ Body: Static<typeof SignInIn> }>('/api/v1/auth/sign-in', {
    schema: { operationId: 'v1.auth.signIn', tags: ['Dashboard session'], body: SignInIn, response: { 200: SessionOut, ...errorResponses } },
    config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    const user = await findUserByEmail(ctx.db.kysely, request.body.email.trim());
    const ok = await verifyPassword(request.body.password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !ok) throw new AppError('RID_ERR_SIGN_IN_FAILED');
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const expiresAt = now + ctx.config.sessionTtlMs;
    const csrf = randomBytes(24).toString('base64url');
    await insertSession(ctx.db.kysely, { id: hashSessionToken(token), user_id: user.id, account_id: user.account_id, csrf_token: csrf, created_at: now, expires_at: expiresAt });
    const session = await findLiveSession(ctx.db.kysely, hashSessionToken(token), now);
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: new Date(expiresAt) });
    return {
      user: { id: user.id, email: user.email },
      account: { id: user.account_id, name: session!.account_name, plan: session!.plan },
      csrf_token: csrf,
      expires_at: new Date(expiresAt).toISOString(),
    };
  });

  app.get('/api/v1/auth/session', {
    schema: { operationId: 'v1.auth.session', tags: ['Dashboard session'], response: { 200: SessionOut, ...errorResponses } },
  }, async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await findLiveSession(ctx.db.kysely, hashSessionToken(token), Date.now()) : undefined;
    if (!session) throw new AppError(token ? 'RID_ERR_SESSION_EXPIRED' : 'RID_ERR_UNAUTHENTICATED', token ? undefined : 'You are not signed in.');
    return {
      user: { id: session.user_id, email: session.email },
      account: { id: session.account_id, name: session.account_name, plan: session.plan },
      csrf_token: session.csrf_token,
      expires_at: new Date(session.expires_at).toISOString(),
    };
  });

  app.post('/api/v1/auth/sign-out', {
    schema: { operationId: 'v1.auth.signOut', tags: ['Dashboard session'] },
  }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await deleteSession(ctx.db.kysely, hashSessionToken(token));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { signed_out: true };
  });
}
