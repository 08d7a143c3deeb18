import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.js';

/**
 * Short-lived signed photo URLs: `/api/v1/photos/<id>?expires=<ms>&sig=<hmac>`. They work in an
 * <img> tag without an API key, and stop working after config.photos.urlTtlMs.
 */
function signature(ctx: AppContext, photoId: string, expires: number): string {
  return createHmac('sha256', ctx.box.deriveKey('photo-urls')).update(`${photoId}.${expires}`).digest('base64url');
}

export function signedPhotoUrl(ctx: AppContext, photoId: string, now = Date.now()): { url: string; expires_at: string } {
  const expires = now + ctx.config.photos.urlTtlMs;
  return {
    url: `${ctx.config.publicUrl}/api/v1/photos/${photoId}?expires=${expires}&sig=${signature(ctx, photoId, expires)}`,
    expires_at: new Date(expires).toISOString(),
  };
}

export function isValidPhotoSignature(ctx: AppContext, photoId: string, expires: number, sig: string, now = Date.now()): boolean {
  if (!Number.isSafeInteger(expires) || expires < now) return false;
  const expected = Buffer.from(signature(ctx, photoId, expires));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
