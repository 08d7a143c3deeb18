import type { Queryable } from '../database.js';
import type { PhotosTable } from '../schema.js';

export type PhotoRow = PhotosTable;
export type PhotoMeta = Omit<PhotosTable, 'data_enc'>;

const META_COLUMNS = ['id', 'check_id', 'account_id', 'kind', 'mime', 'size', 'storage', 'location', 'created_at'] as const;

export async function insertPhoto(q: Queryable, row: PhotoRow): Promise<void> {
  await q.insertInto('photos').values(row).execute();
}

/** Without the sealed bytes, which can be megabytes each. */
export async function listPhotoMeta(q: Queryable, checkId: string): Promise<PhotoMeta[]> {
  return q.selectFrom('photos').select(META_COLUMNS).where('check_id', '=', checkId).orderBy('id').execute();
}

export async function findPhoto(q: Queryable, id: string): Promise<PhotoRow | undefined> {
  return q.selectFrom('photos').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deletePhotosOfCheck(q: Queryable, checkId: string): Promise<PhotoMeta[]> {
  const rows = await listPhotoMeta(q, checkId);
  await q.deleteFrom('photos').where('check_id', '=', checkId).execute();
  return rows;
}
