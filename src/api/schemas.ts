import { Type } from 'typebox';

/** Shared pieces of the OpenAPI document. */
export const ErrorOut = Type.Object({
  code: Type.String({ description: 'A stable code from the error catalogue, e.g. RID_ERR_CHECK_NOT_FOUND.' }),
  message: Type.String({ description: 'What went wrong and what to do about it.' }),
  details: Type.Optional(Type.Unknown()),
}, { $id: 'ErrorOut', description: 'Every error has this shape.' });

/** The responses every authenticated route can give, for the OpenAPI document. */
export const errorResponses = {
  400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut,
};

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());
