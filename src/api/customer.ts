import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.js';
import { PHOTO_KINDS, type PhotoKind } from '../core/check-rules.js';
import { AppError } from '../core/errors.js';
import { sniffImage } from '../core/image-sniff.js';
import { checkOfLink, customerView, openCheckLink, PRIVACY_REQUESTS, requestPrivacyAction } from '../services/checks-customer.js';
import { submitPhoto } from '../services/checks-photos.js';
import { PhotoKindSchema } from './checks-schemas.js';
import { ErrorOut } from './schemas.js';

const tags = ['Customer (check link)'];
const security: Array<Record<string, string[]>> = [];
const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });
const PhotoParams = Type.Object({ token: Type.String({ maxLength: 100 }), kind: PhotoKindSchema });
const errors = { 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut, 429: ErrorOut };

const CustomerCheckOut = Type.Object({
  merchant: Type.Object({ name: Type.String() }),
  step: Type.String(),
  testing: Type.Boolean(),
  id_check_type: Type.String(),
  photos_required: Type.Array(PhotoKindSchema),
  photos_received: Type.Array(PhotoKindSchema),
  photos_needed: Type.Array(PhotoKindSchema, { description: 'Still to send, in the order to ask for them.' }),
  awaiting_review: Type.Boolean({ description: 'Every photo is in; the merchant reviews them by hand.' }),
  outcome: Type.Union([Type.Literal('passed'), Type.Literal('failed'), Type.Null()]),
}, { description: 'What the customer\'s page shows. No personal data.' });

const PrivacyIn = Type.Object({
  type: Type.Union(Object.keys(PRIVACY_REQUESTS).map((key) => Type.Literal(key))),
}, { additionalProperties: false });

/** Reads a raw image body, stopping at the size limit instead of buffering an unbounded upload. */
function rawImageParser(maxBytes: number) {
  return (_request: FastifyRequest, payload: NodeJS.ReadableStream, done: (error: Error | null, body?: Buffer) => void) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (error: Error | null, body?: Buffer) => { if (!finished) { finished = true; done(error, body); } };
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return finish(new AppError('RID_ERR_PHOTO_TOO_LARGE', `The photo is larger than ${maxBytes} bytes.`));
      chunks.push(chunk);
    });
    payload.on('end', () => finish(null, Buffer.concat(chunks)));
    payload.on('error', (error: Error) => finish(error));
  };
}

async function photoBytes(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  if (!request.isMultipart()) {
    if (!Buffer.isBuffer(request.body)) throw new AppError('RID_ERR_UNSUPPORTED_MEDIA_TYPE', 'Send the photo as the raw body with an image/* content type, or as multipart/form-data with a "photo" file field.');
    return request.body;
  }
  for await (const part of request.parts()) {
    if (part.type === 'file' && part.fieldname === 'photo') {
      const tooLarge = new AppError('RID_ERR_PHOTO_TOO_LARGE', `The photo is larger than ${maxBytes} bytes.`);
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge;
        throw error;
      }
      // The limit can end the stream before toBuffer notices: a truncated file must never pass as a photo.
      if (part.file.truncated || bytes.length > maxBytes) throw tooLarge;
      return bytes;
    }
    if (part.type === 'file') await part.toBuffer();
  }
  throw new AppError('RID_ERR_VALIDATION', 'The form has no "photo" file field.');
}

/**
 * The customer's side, authorised by the link's token alone (no API key): see the check, open it,
 * send photos, and ask the merchant for their data, a manual review, or deletion.
 */
export async function register(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const maxBytes = ctx.config.photos.maxBytes;
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, { limits: { fileSize: maxBytes, files: 3, fields: 5, parts: 8 } });
    scope.addContentTypeParser(/^image\/|^application\/octet-stream/, rawImageParser(maxBytes));
    // Any other type: say what each route takes, instead of the API-wide "send JSON".
    scope.addContentTypeParser('*', (request, _payload, done) => done(new AppError('RID_ERR_UNSUPPORTED_MEDIA_TYPE', request.url.includes('/photos/')
      ? 'Send the photo as the raw body with an image/* content type, or as multipart/form-data with a "photo" file field.'
      : 'Send the body as application/json.')));

    scope.get<{ Params: Static<typeof TokenParams> }>('/api/v1/customer/checks/:token', {
      schema: { operationId: 'v1.customer.check.get', tags, security, params: TokenParams, response: { 200: CustomerCheckOut, ...errors } },
    }, async (request) => customerView(ctx, await checkOfLink(ctx, request.params.token)));

    scope.post<{ Params: Static<typeof TokenParams> }>('/api/v1/customer/checks/:token/open', {
      schema: { operationId: 'v1.customer.check.open', tags, security, params: TokenParams, response: { 200: CustomerCheckOut, ...errors }, description: 'The first open moves the check from delivered to opened (check.opened); later opens change nothing.' },
    }, async (request) => customerView(ctx, await openCheckLink(ctx, await checkOfLink(ctx, request.params.token))));

    scope.post<{ Params: Static<typeof PhotoParams> }>('/api/v1/customer/checks/:token/photos/:kind', {
      bodyLimit: maxBytes + 64 * 1024,
      schema: {
        operationId: 'v1.customer.photo.upload', tags, security, params: PhotoParams, response: { 200: CustomerCheckOut, ...errors },
        description: `Send one photo (${PHOTO_KINDS.join(' | ')}) as the raw body with an image/* content type, or as multipart/form-data with a "photo" file field. JPEG, PNG, WebP and HEIC are recognised by their bytes (422 RID_ERR_PHOTO_INVALID otherwise), up to ${maxBytes} bytes (413).`,
      },
    }, async (request) => {
      const check = await checkOfLink(ctx, request.params.token);
      const bytes = await photoBytes(request, maxBytes);
      const mime = sniffImage(bytes);
      if (!mime) throw new AppError('RID_ERR_PHOTO_INVALID', 'The file is not a JPEG, PNG, WebP or HEIC image (it was judged by its content, not its name).');
      return customerView(ctx, await submitPhoto(ctx, check, { kind: request.params.kind as PhotoKind, mime, bytes }));
    });

    scope.post<{ Params: Static<typeof TokenParams>; Body: Static<typeof PrivacyIn> }>('/api/v1/customer/checks/:token/privacy-requests', {
      schema: {
        operationId: 'v1.customer.privacyRequest.create', tags, security, params: TokenParams, body: PrivacyIn,
        response: { 202: Type.Object({ received: Type.Boolean(), type: Type.String() }), ...errors },
        description: 'Tells the merchant (the data controller), who acts through the API: data_request, manual_review or data_deletion.',
      },
    }, async (request, reply) => {
      const check = await checkOfLink(ctx, request.params.token);
      await requestPrivacyAction(ctx, check, request.body.type as keyof typeof PRIVACY_REQUESTS);
      return reply.status(202).send({ received: true, type: request.body.type });
    });
  });
}
