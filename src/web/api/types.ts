/** The API's shapes as the dashboard reads them (see /docs/json for the full OpenAPI document). */
export type Plan = 'free' | 'pro' | 'enterprise';

export interface Session {
  user: { id: string; email: string };
  account: { id: string; name: string; plan: Plan | string };
  csrf_token: string;
  expires_at: string;
}

export interface ApiKey {
  id: string;
  name: string;
  mode: 'test' | 'live';
  hint: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface ListOf<T> {
  data: T[];
  has_more?: boolean;
  next_cursor?: string | null;
}

export const CHECK_STEPS = ['delivered', 'opened', 'submitted-photo', 'completed', 'failed'] as const;
export type CheckStep = (typeof CHECK_STEPS)[number];
export type PhotoKind = 'id_front' | 'id_back' | 'selfie';

export interface SubCheck {
  type: string;
  status: 'passed' | 'failed' | 'not_applicable';
  score?: number;
  error?: string;
}

export interface CheckRules {
  id_check_type: 'id' | 'idv';
  include_back_of_id: boolean;
  min_age: number | null;
  testing: boolean;
}

export interface CheckPhoto {
  id: string;
  kind: PhotoKind;
  mime: string;
  size: number;
  created_at: string;
  url: string;
  expires_at?: string;
}

export interface Check {
  id: string;
  step: CheckStep;
  testing: boolean;
  customer: { first_name: string; last_name: string; email: string | null; phone: string | null } | null;
  order: { id: string; name: string | null } | null;
  rules: CheckRules;
  result: { verdict: 'pending' | 'passed' | 'failed'; sub_checks: SubCheck[]; error: string | null; awaiting_manual_review: boolean };
  photos_required: PhotoKind[];
  photos_received: PhotoKind[];
  manually_overridden: boolean;
  link: string | null;
  link_delivery: { channel: string; status: string; error?: string; at: string }[];
  created_at: string;
  updated_at: string;
  opened_at: string | null;
  completed_at: string | null;
  failed_at: string | null;
  redacted_at: string | null;
  photos?: CheckPhoto[];
}

export interface CheckCreated {
  message: string;
  check: Check;
}

/** The eight events a merchant can subscribe to (the seed's list), in the seed's order. */
export const EVENT_TYPES = [
  { type: 'check.delivered', label: 'The ID check is created and delivered to the customer.' },
  { type: 'check.opened', label: 'The customer opens the ID check.' },
  { type: 'check.submitted-photo', label: 'The ID check receives a photo from the customer.' },
  { type: 'check.completed', label: 'The customer successfully completes the ID check.' },
  { type: 'check.failed', label: 'The customer fails the ID check.' },
  { type: 'customer.data_request', label: 'A customer asks for a copy of all of their data.' },
  { type: 'customer.manual_review_requested', label: 'A customer asks for a manual review of their result.' },
  { type: 'customer.data_deletion_request', label: 'A customer asks to have their data deleted.' },
] as const;

export interface WebhookEvent {
  id: string;
  type: string;
  check_id: string;
  created_at: string;
  /** The webhook body, parsed. */
  data: unknown;
}

export interface EndpointHealth {
  /** Successful share of the last 24 h of attempts (at most the last 100). */
  success_rate: number | null;
  attempts_considered: number;
  last_success_at: string | null;
  last_failure_at: string | null;
  failing_since: string | null;
  disabled_reason: string | null;
}

export interface Endpoint {
  id: string;
  url: string;
  description: string;
  /** Empty means all eight events. */
  events: string[];
  include_testing: boolean;
  ordered: boolean;
  rate_limit_per_second: number | null;
  disabled: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  failing_since: string | null;
  created_at: string;
  health: EndpointHealth;
}

/** What re-enabling an endpoint says it missed meanwhile. */
export interface EndpointPatched extends Endpoint {
  recovery?: { missed: number; since: string };
}

export type DeliveryStatus = 'pending' | 'sending' | 'succeeded' | 'failed';

export interface Delivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  check_id: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface Attempt {
  id: string;
  attempt_number: number;
  trigger: 'scheduled' | 'manual';
  url: string;
  started_at: string;
  duration_ms: number;
  succeeded: boolean;
  error_kind: string | null;
  error_message: string | null;
  request: { method: string; headers: Record<string, string>; body: string };
  /** Null when no response came (refused, timed out, …); the body is the first 20 kB. */
  response: { status: number; headers: Record<string, string>; body: string } | null;
}

export interface DeliveryDetail extends Delivery {
  /** The exact body that was signed. */
  payload: string;
  attempts: Attempt[];
}

export interface SigningSecret {
  secret: string;
  created_at: string;
  /** When a rotated-out secret stops signing; null for the current one. */
  expires_at: string | null;
}
