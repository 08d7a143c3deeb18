import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../context.js';
import { revealSigningSecrets, rotateSigningSecret, type RevealedSecret } from '../services/webhook-secret.js';
import { requireEnterprise } from './auth.js';
import { errorResponses, iso } from './schemas.js';

const SecretOut = Type.Object({
  secret: Type.String({ description: 'whsec_ + base64 of 32 bytes. X-Real-ID-Signature is keyed by this whole string.' }),
  created_at: Type.String(),
  expires_at: Type.Union([Type.String(), Type.Null()], { description: 'When a rotated-out secret stops signing; null for the current one.' }),
});
const SecretsOut = Type.Object({
  current: Type.Union([SecretOut, Type.Null()]),
  previous: Type.Array(SecretOut, { description: 'Rotated-out secrets that still sign webhook-signature.' }),
}, { $id: 'WebhookSecretOut' });

const secretOut = (s: RevealedSecret) => ({ secret: s.secret, created_at: iso(s.created_at)!, expires_at: iso(s.expires_at) });

/** The account's webhook signing secret (Enterprise): reveal it, and rotate it with a 24 h overlap. */
export function register(app: FastifyInstance, ctx: AppContext): void {
  const tags = ['Webhook signing secret'];
  const reveal = async (accountId: string) => {
    const { current, previous } = await revealSigningSecrets(ctx, accountId);
    return { current: current && secretOut(current), previous: previous.map(secretOut) };
  };

  app.get('/api/v1/webhook-secret', {
    schema: { operationId: 'v1.webhookSecret.get', tags, response: { 200: SecretsOut, ...errorResponses } },
  }, async (request) => reveal(requireEnterprise(request).accountId));

  app.post('/api/v1/webhook-secret/rotate', {
    schema: { operationId: 'v1.webhookSecret.rotate', tags, response: { 200: SecretsOut, ...errorResponses } },
  }, async (request) => {
    const { accountId } = requireEnterprise(request);
    await rotateSigningSecret(ctx, accountId);
    return reveal(accountId);
  });
}
