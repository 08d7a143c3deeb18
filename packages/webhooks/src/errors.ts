/** Why a webhook was rejected; stable strings you can log, count and switch on. */
export type WebhookVerificationReason =
  | 'missing_signature'
  | 'bad_signature'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'malformed_payload'
  | 'unknown_event'
  | 'invalid_secret'
  | 'body_not_raw';

/**
 * The one error this package throws. Answer it with a 400 (Real ID will retry) and log `reason`.
 *
 * @example
 *   try {
 *     verifyWebhook(rawBody, req.headers, secret);
 *   } catch (error) {
 *     if (error instanceof WebhookVerificationError) return res.status(400).json({ reason: error.reason });
 *     throw error;
 *   }
 */
export class WebhookVerificationError extends Error {
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.reason = reason;
  }
}
