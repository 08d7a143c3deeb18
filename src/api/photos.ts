import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { findPhoto } from '../db/repos/photos.js';
import { openPhoto } from '../services/photos.js';
import { isValidPhotoSignature } from '../services/photos-urls.js';

const PhotoQuery = Type.Object({ expires: Type.Integer(), sig: Type.String({ maxLength: 100 }) }, { additionalProperties: false });
const PhotoParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/**
 * Serves a photo to whoever holds a signed URL from `GET /checks/:id?withPhotos=true`, until it
 * expires. The signature is the credential, so an <img> tag in the dashboard just works.
 */
export function register(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: Static<typeof PhotoParams>; Querystring: Static<typeof PhotoQuery> }>('/api/v1/photos/:id', {
    schema: { operationId: 'v1.photo.get', tags: ['Checks'], security: [], params: PhotoParams, querystring: PhotoQuery, hide: true },
  }, async (request, reply) => {
    const { id } = request.params;
    if (!isValidPhotoSignature(ctx, id, request.query.expires, request.query.sig)) {
      throw new AppError('RID_ERR_FORBIDDEN', 'This photo link is not valid or has expired. Fetch the check again for a fresh one.');
    }
    const photo = await findPhoto(ctx.db.kysely, id);
    if (!photo) throw new AppError('RID_ERR_NOT_FOUND', 'The photo no longer exists (the check may have been redacted).');
    const bytes = await openPhoto(ctx, photo);
    const maxAge = Math.max(0, Math.floor((request.query.expires - Date.now()) / 1000));
    return reply
      .type(photo.mime)
      .header('cache-control', `private, max-age=${maxAge}`)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', 'inline')
      .send(bytes);
  });
}
