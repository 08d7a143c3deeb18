
/**
 * The tables, as Kysely sees them. Portable on purpose, so one code path serves SQLite and
 * PostgreSQL: times are integer milliseconds since the epoch (bigint in PostgreSQL, parsed to
 * number), flags are 0/1 integers, structured values are JSON text, binary values are bytea/blob.
 */
export interface AccountsTable {
  id: string;
  name: string;
  plan: 'free' | 'pro' | 'enterprise';
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  id: string;
  account_id: string;
  email: string;
  password_hash: string;
  role: 'owner' | 'member';
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  name: string;
  mode: 'test' | 'live';
  hint: string;
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a stolen database does not hand out sessions. */
  id: string;
  user_id: string;
  account_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface WebhookSecretsTable {
  id: string;
  account_id: string;
  /** `whsec_…`, sealed with the master key. */
  secret_enc: string;
  created_at: number;
  /** null for the current secret; set on rotation to when the old one stops signing. */
  expires_at: number | null;
}

export interface ChecksTable {
  id: string;
  account_id: string;
  testing: number;
  step: 'delivered' | 'opened' | 'submitted-photo' | 'completed' | 'failed';
  /** Sealed JSON of {first_name, last_name, email, phone}; null once redacted. */
  customer_enc: string | null;
  order_json: string | null;
  /** The merchant's order id, for search (migration 002). */
  order_id: string | null;
  rules_json: string;
  link_token_hash: string | null;
  /** JSON array of sub-check results. */
  result_json: string;
  /** JSON array of photo kinds accepted so far. */
  photos_received_json: string;
  failure_error: string | null;
  manually_overridden: number;
  created_by_key_id: string | null;
  created_at: number;
  updated_at: number;
  opened_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  redacted_at: number | null;
  /** JSON array of {channel, status, error?, at}: how the link reached the customer (migration 002). */
  link_delivery_json: string | null;
}

export interface PhotosTable {
  id: string;
  check_id: string;
  account_id: string;
  kind: 'id_front' | 'id_back' | 'selfie';
  mime: string;
  size: number;
  storage: 'filesystem' | 'database';
  /** Relative file path when on the filesystem. */
  location: string | null;
  /** Sealed bytes when in the database. */
  data_enc: Buffer | null;
  created_at: number;
}

export interface EventsTable {
  id: string;
  account_id: string;
  type: string;
  check_id: string;
  testing: number;
  /** The exact bytes that are signed and sent. */
  payload: string;
  created_at: number;
}

export interface EndpointsTable {
  id: string;
  account_id: string;
  url: string;
  description: string;
  /** JSON array of event types. */
  event_types: string;
  include_testing: number;
  ordered: number;
  rate_limit_per_second: number | null;
  disabled: number;
  disabled_reason: string | null;
  disabled_at: number | null;
  /** When the current run of failures began; null while healthy. */
  failing_since: number | null;
  created_at: number;
  updated_at: number;
}

/**
 * What is stored. A delivery being sent is `pending` under a live lease (lease_expires_at in the
 * future): taking a lease changes no indexed column, so on PostgreSQL it is a HOT update (see
 * migration 006). Rows written by versions before 006 may say `sending`; 006 turns them into
 * `pending`, and every query on open deliveries still reads both.
 */
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';
/** What people see (API, dashboard, CLI): `sending` is a pending delivery under a live lease (shownStatus). */
export type ShownDeliveryStatus = DeliveryStatus | 'sending';

export interface DeliveriesTable {
  id: string;
  account_id: string;
  endpoint_id: string;
  event_id: string;
  check_id: string;
  /** Set for ordered endpoints: `endpoint:check`; a delivery waits while an earlier one with the same key is open. */
  order_key: string | null;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface AttemptsTable {
  id: string;
  delivery_id: string;
  account_id: string;
  endpoint_id: string;
  attempt_number: number;
  trigger: 'scheduled' | 'manual';
  url: string;
  started_at: number;
  duration_ms: number;
  succeeded: number;
  status_code: number | null;
  error_kind: string | null;
  error_message: string | null;
  request_headers: string;
  response_headers: string | null;
  response_body: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  accounts: AccountsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  webhook_secrets: WebhookSecretsTable;
  checks: ChecksTable;
  photos: PhotosTable;
  events: EventsTable;
  endpoints: EndpointsTable;
  deliveries: DeliveriesTable;
  attempts: AttemptsTable;
  meta: MetaTable;
}

