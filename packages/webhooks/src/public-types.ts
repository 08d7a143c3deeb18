// The types and error that both entry points (Node and edge) export, declared once.
export { WebhookVerificationError, type WebhookVerificationReason } from './errors.js';
export {
  CHECK_EVENT_TYPES,
  PRIVACY_EVENT_TYPES,
  EVENT_TYPES,
  type CheckEvent,
  type CheckEventType,
  type CheckStep,
  type PrivacyEvent,
  type PrivacyEventType,
  type RealIdEvent,
  type RealIdEventType,
} from './events.js';
export type { RawBody } from './body.js';
export type { HeaderSource } from './headers.js';
export type { SignatureScheme, VerifyOptions } from './verify-plan.js';
export type { SignOptions, WebhookSignatureHeaders } from './sign-plan.js';
export { verifyWebhookAsync } from './verify-async.js';
export { signWebhookAsync } from './sign-async.js';
