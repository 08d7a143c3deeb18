import type { AppContext } from '../context.js';
import { checkLinkToken } from '../core/check-link.js';
import { type CheckRules, type PhotoKind, requiredPhotos } from '../core/check-rules.js';
import { type CheckState, awaitsManualReview, verdictOfState } from '../core/check-state.js';
import { type SubCheck, firstError } from '../core/verdict.js';
import type { CheckRow } from '../db/repos/checks.js';
import type { PhotoMeta } from '../db/repos/photos.js';
import { signedPhotoUrl } from './photos-urls.js';

/** The customer's personal data, sealed in `customer_enc`. */
export interface Customer {
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
}

export interface LinkDeliveryRecord {
  channel: 'email' | 'sms' | 'log';
  status: 'sent' | 'failed' | 'logged';
  error?: string;
  at: string;
}

const iso = (ms: number | null): string | null => (ms == null ? null : new Date(ms).toISOString());

export function stateOfRow(row: CheckRow): CheckState {
  return {
    step: row.step,
    rules: JSON.parse(row.rules_json) as CheckRules,
    photos: JSON.parse(row.photos_received_json) as PhotoKind[],
    subChecks: JSON.parse(row.result_json) as SubCheck[],
    manuallyOverridden: row.manually_overridden === 1,
  };
}

/** The columns a new state writes. */
export function rowPatchOfState(state: CheckState, now: number, previous: CheckRow) {
  return {
    step: state.step,
    photos_received_json: JSON.stringify(state.photos),
    result_json: JSON.stringify(state.subChecks),
    failure_error: firstError(state.subChecks),
    manually_overridden: state.manuallyOverridden ? 1 : 0,
    updated_at: now,
    opened_at: previous.opened_at ?? (state.step !== 'delivered' ? now : null),
    completed_at: state.step === 'completed' && previous.step !== 'completed' ? now : previous.completed_at,
    failed_at: state.step === 'failed' && previous.step !== 'failed' ? now : previous.failed_at,
  };
}

export function customerOf(ctx: AppContext, row: CheckRow): Customer | null {
  return row.customer_enc ? (JSON.parse(ctx.box.openText(row.customer_enc)) as Customer) : null;
}

export function linkOf(ctx: AppContext, row: Pick<CheckRow, 'id' | 'link_token_hash'>): string | null {
  return row.link_token_hash ? `${ctx.config.publicUrl}/c/${checkLinkToken(ctx.box.deriveKey('check-links'), row.id)}` : null;
}

/** The check as the merchant's API returns it (CheckOut in the OpenAPI document). */
export function checkOut(ctx: AppContext, row: CheckRow, photos?: PhotoMeta[]) {
  const state = stateOfRow(row);
  return {
    id: row.id,
    step: row.step,
    testing: row.testing === 1,
    customer: customerOf(ctx, row),
    order: row.order_json ? (JSON.parse(row.order_json) as { id: string; name: string | null }) : null,
    rules: state.rules,
    result: {
      verdict: verdictOfState(state),
      sub_checks: state.subChecks,
      error: row.failure_error,
      awaiting_manual_review: awaitsManualReview(state),
    },
    photos_required: requiredPhotos(state.rules),
    photos_received: state.photos,
    manually_overridden: state.manuallyOverridden,
    link: linkOf(ctx, row),
    link_delivery: row.link_delivery_json ? (JSON.parse(row.link_delivery_json) as LinkDeliveryRecord[]) : [],
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    opened_at: iso(row.opened_at),
    completed_at: iso(row.completed_at),
    failed_at: iso(row.failed_at),
    redacted_at: iso(row.redacted_at),
    ...(photos ? { photos: photos.map((photo) => ({ id: photo.id, kind: photo.kind, mime: photo.mime, size: photo.size, created_at: iso(photo.created_at)!, ...signedPhotoUrl(ctx, photo.id) })) } : {}),
  };
}

export type CheckOutValue = ReturnType<typeof checkOut>;
