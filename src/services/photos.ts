import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../context.js';
import type { PhotoKind } from '../core/check-rules.js';
import { type PhotoId, newId } from '../core/ids.js';
import type { ImageMime } from '../core/image-sniff.js';
import type { PhotoRow } from '../db/repos/photos.js';

/**
 * Photo bytes at rest: always sealed with AES-256-GCM under the master key, in a file under
 * `${dataDir}/photos/<check id>/` (the default) or in the `photos.data_enc` column
 * (REALID_PHOTO_STORAGE=database, for deployments whose API processes share no disk).
 */
export function photosDir(ctx: AppContext): string {
  return path.join(ctx.config.dataDir, 'photos');
}

export interface SealedPhoto {
  row: PhotoRow;
  /** Removes what was written, when the transaction that should have kept it fails. */
  discard(): Promise<void>;
}

/** Seals and writes the bytes; the caller inserts `row` in its transaction. */
export async function sealPhoto(
  ctx: AppContext,
  input: { checkId: string; accountId: string; kind: PhotoKind; mime: ImageMime; bytes: Buffer },
  now = Date.now(),
): Promise<SealedPhoto> {
  const id: PhotoId = newId('photo', now);
  const sealed = ctx.box.seal(input.bytes);
  const base = { id, check_id: input.checkId, account_id: input.accountId, kind: input.kind, mime: input.mime, size: input.bytes.length, created_at: now };
  if (ctx.config.photos.storage === 'database') {
    return { row: { ...base, storage: 'database', location: null, data_enc: sealed }, discard: async () => {} };
  }
  const location = path.join(input.checkId, `${id}.sealed`);
  const file = path.join(photosDir(ctx), location);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, sealed, { mode: 0o600 });
  return { row: { ...base, storage: 'filesystem', location, data_enc: null }, discard: () => rm(file, { force: true }) };
}

export async function openPhoto(ctx: AppContext, row: PhotoRow): Promise<Buffer> {
  const sealed = row.storage === 'database' ? row.data_enc! : await readFile(path.join(photosDir(ctx), row.location!));
  return ctx.box.open(Buffer.from(sealed));
}

/** Deletes a check's photo files, once the rows are gone (after the redaction commits). */
export async function removePhotoFiles(ctx: AppContext, checkId: string): Promise<void> {
  await rm(path.join(photosDir(ctx), checkId), { recursive: true, force: true });
}
