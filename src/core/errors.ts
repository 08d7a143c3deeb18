/**
 * The one catalogue of error codes. The API answers every error as `{code, message, details?}`
 * with the status listed here; docs/api.md renders this table. Codes are stable: add, never rename.
 */
export const ERRORS = {
  RID_ERR_VALIDATION: { status: 400, message: 'The request is not valid.' },
  RID_ERR_MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  RID_ERR_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  RID_ERR_URI_TOO_LONG: { status: 414, message: 'The URL is too long.' },
  RID_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json.' },
  RID_ERR_UNAUTHENTICATED: { status: 401, message: 'Send an API key as "Authorization: Bearer rid_test_…" or "rid_live_…".' },
  RID_ERR_INVALID_API_KEY: { status: 401, message: 'The API key is not valid or has been revoked.' },
  RID_ERR_SIGN_IN_FAILED: { status: 401, message: 'The email or password is not right.' },
  RID_ERR_SESSION_EXPIRED: { status: 401, message: 'Your session has ended. Sign in again.' },
  RID_ERR_CSRF: { status: 403, message: 'The request is missing its CSRF token. Reload the page and try again.' },
  RID_ERR_FORBIDDEN: { status: 403, message: 'You are not allowed to do that.' },
  RID_ERR_PLAN_REQUIRED: {
    status: 403,
    message: 'Webhooks are an Enterprise feature. Upgrade this account to the Enterprise plan (contact sales, or ask your operator to run `realid accounts set-plan`) to use them.',
  },
  RID_ERR_LIVE_CHECK: { status: 403, message: 'Only test checks can be simulated. Create the check with a test key or rules.testing.' },
  RID_ERR_NOT_FOUND: { status: 404, message: 'There is nothing at this address.' },
  RID_ERR_CHECK_NOT_FOUND: { status: 404, message: 'No check with this id exists in this account.' },
  RID_ERR_EVENT_NOT_FOUND: { status: 404, message: 'No event with this id exists in this account.' },
  RID_ERR_ENDPOINT_NOT_FOUND: { status: 404, message: 'No webhook endpoint with this id exists in this account.' },
  RID_ERR_DELIVERY_NOT_FOUND: { status: 404, message: 'No delivery with this id exists in this account.' },
  RID_ERR_API_KEY_NOT_FOUND: { status: 404, message: 'No API key with this id exists in this account.' },
  RID_ERR_LINK_NOT_FOUND: { status: 404, message: 'This check link is not valid. Ask the merchant for a new one.' },
  RID_ERR_METHOD_NOT_ALLOWED: { status: 405, message: 'This method is not allowed here.' },
  RID_ERR_CONFLICT: { status: 409, message: 'The request conflicts with the current state.' },
  RID_ERR_CHECK_FINISHED: { status: 409, message: 'The check is already finished.' },
  RID_ERR_CHECK_REDACTED: { status: 409, message: 'The check has been redacted; its personal data and photos are gone.' },
  RID_ERR_ILLEGAL_TRANSITION: { status: 409, message: 'The check cannot move that way from its current step.' },
  RID_ERR_PHOTO_NOT_EXPECTED: { status: 409, message: 'That photo is not required for this check, or it was already accepted.' },
  RID_ERR_EMAIL_TAKEN: { status: 409, message: 'A user with this email already exists.' },
  RID_ERR_UNPROCESSABLE: { status: 422, message: 'The request is well-formed but cannot be processed.' },
  RID_ERR_CONTACT_REQUIRED: { status: 422, message: 'A check needs the customer\'s email or phone so the link can be sent.' },
  RID_ERR_PHOTO_INVALID: { status: 422, message: 'The photo is not a JPEG, PNG, WebP or HEIC image.' },
  RID_ERR_PHOTO_TOO_LARGE: { status: 413, message: 'The photo is too large.' },
  RID_ERR_DESTINATION_FORBIDDEN: {
    status: 422,
    message: 'Webhooks cannot be sent to loopback, private, link-local or metadata addresses. Use a public URL, or ask the operator to allow it with REALID_ALLOW_DESTINATIONS.',
  },
  RID_ERR_INVALID_URL: { status: 422, message: 'The URL must be an absolute http:// or https:// URL.' },
  RID_ERR_RATE_LIMITED: { status: 429, message: 'Too many requests. Slow down and retry after the time in Retry-After.' },
  RID_ERR_INTERNAL: { status: 500, message: 'Something went wrong on our side. It has been logged; try again.' },
  RID_ERR_UNAVAILABLE: { status: 503, message: 'The service is not ready. Try again shortly.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A failure the caller can act on. `message` overrides the catalogue's text with a more specific one. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}
