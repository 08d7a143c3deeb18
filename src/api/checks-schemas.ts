import { Type } from 'typebox';
import { PHOTO_KINDS, SUB_CHECK_TYPES } from '../core/check-rules.js';
import { ID_ERROR_TYPES } from '../core/verdict.js';

/** The checks API's shapes, as the OpenAPI document shows them (CheckIn, CheckOut, …). */
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const STEPS = ['delivered', 'opened', 'submitted-photo', 'completed', 'failed'] as const;
export const PhotoKindSchema = literals(PHOTO_KINDS);
export const IdErrorSchema = literals(ID_ERROR_TYPES);

export const RulesIn = Type.Object({
  id_check_type: Type.Optional(literals(['id', 'idv'] as const)),
  include_back_of_id: Type.Optional(Type.Boolean()),
  min_age: Type.Optional(Type.Integer({ minimum: 1, maximum: 125 })),
  testing: Type.Optional(Type.Boolean({ description: 'Make a test check with a live key (a test key always makes one).' })),
}, { additionalProperties: false });

export const CheckIn = Type.Object({
  customer: Type.Object({
    first_name: Type.String({ minLength: 1, maxLength: 100 }),
    last_name: Type.String({ minLength: 1, maxLength: 100, description: 'Test checks: Unreadable, Missingfields, Expired, Underage, Mismatch, Noface or Multiplefaces force that outcome.' }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ().-]{6,24}$', description: 'E.164 preferred, e.g. +4915112345678.' })),
  }, { additionalProperties: false, description: 'email or phone is required (422 RID_ERR_CONTACT_REQUIRED).' }),
  order: Type.Optional(Type.Object({
    id: Type.String({ minLength: 1, maxLength: 200 }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
  }, { additionalProperties: false })),
  rules: Type.Optional(RulesIn),
}, { additionalProperties: false });

const SubCheckOut = Type.Object({
  type: literals(SUB_CHECK_TYPES),
  status: literals(['passed', 'failed', 'not_applicable'] as const),
  score: Type.Optional(Type.Integer()),
  error: Type.Optional(IdErrorSchema),
});

const PhotoOut = Type.Object({
  id: Type.String(), kind: PhotoKindSchema, mime: Type.String(), size: Type.Integer(), created_at: Type.String(),
  url: Type.String({ description: 'Signed; works without an API key until expires_at.' }), expires_at: Type.String(),
});

export const CheckOut = Type.Object({
  id: Type.String(),
  step: literals(STEPS),
  testing: Type.Boolean(),
  customer: nullable(Type.Object({ first_name: Type.String(), last_name: Type.String(), email: nullable(Type.String()), phone: nullable(Type.String()) })),
  order: nullable(Type.Object({ id: Type.String(), name: nullable(Type.String()) })),
  rules: Type.Object({ id_check_type: literals(['id', 'idv'] as const), include_back_of_id: Type.Boolean(), min_age: nullable(Type.Integer()), testing: Type.Boolean() }),
  result: Type.Object({
    verdict: literals(['pending', 'passed', 'failed'] as const),
    sub_checks: Type.Array(SubCheckOut),
    error: nullable(IdErrorSchema),
    awaiting_manual_review: Type.Boolean({ description: 'Every photo is in and no analyzer decided: approve or reject it.' }),
  }),
  photos_required: Type.Array(PhotoKindSchema),
  photos_received: Type.Array(PhotoKindSchema),
  manually_overridden: Type.Boolean(),
  link: nullable(Type.String({ description: 'The customer\'s page; null once redacted.' })),
  link_delivery: Type.Array(Type.Object({
    channel: literals(['email', 'sms', 'log'] as const), status: literals(['sent', 'failed', 'logged'] as const),
    error: Type.Optional(Type.String()), at: Type.String(),
  })),
  created_at: Type.String(),
  updated_at: Type.String(),
  opened_at: nullable(Type.String()),
  completed_at: nullable(Type.String()),
  failed_at: nullable(Type.String()),
  redacted_at: nullable(Type.String()),
  photos: Type.Optional(Type.Array(PhotoOut, { description: 'Only with ?withPhotos=true.' })),
}, { description: 'An ID check.' });

export const CheckCreatedOut = Type.Object({ message: Type.String(), check: CheckOut });

export const CheckListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  starting_after: Type.Optional(Type.String({ maxLength: 64, description: 'Cursor: the last id of the previous page.' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'Page number (instead of starting_after).' })),
  step: Type.Optional(literals(STEPS)),
  testing: Type.Optional(Type.Boolean()),
  created_after: Type.Optional(Type.String({ format: 'date-time' })),
  created_before: Type.Optional(Type.String({ format: 'date-time' })),
  search: Type.Optional(Type.String({ maxLength: 200, description: 'A check id or an order id.' })),
}, { additionalProperties: false });

export const CheckListOut = Type.Object({
  data: Type.Array(CheckOut),
  has_more: Type.Boolean(),
  next_cursor: nullable(Type.String({ description: 'Pass as starting_after for the next page (docs/api.md, Pagination).' })),
  next_starting_after: nullable(Type.String({ description: 'The same as next_cursor, named after the parameter it feeds.' })),
});

export const SimulateIn = Type.Object({
  action: literals(['open', 'submit_photo', 'complete', 'fail'] as const),
  kind: Type.Optional(PhotoKindSchema),
  error: Type.Optional(IdErrorSchema),
}, { additionalProperties: false });
