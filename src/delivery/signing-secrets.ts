import type { CryptoBox } from '../core/crypto-box.js';
import type { Queryable } from '../db/database.js';
import { findSigningSecrets } from '../db/repos/webhook-secrets.js';

/**
 * How long an account's secrets, once read, are used without reading them again. Deliveries handed
 * over one transaction at a time (one API request each) would otherwise read them once per event:
 * at 2,000 single-event transactions a second that query was a tenth of the worker's thread, and
 * the backlog it caused tripled the latency. A second is far less than a claimed delivery may
 * already wait in its lane with the secrets read when it was claimed; a rotation only ever adds a
 * secret (the old one keeps signing for 24 hours), so a delivery signed in that second still
 * verifies with the secret its receiver has.
 */
const SECRETS_FRESH_MS = 1_000;

/** What the delivery worker signs with: see createSecretSource. */
export interface SecretSource {
  /** The secrets each account signs with right now, current first. */
  secretsFor(q: Queryable, accountIds: string[], now: number): Promise<Map<string, string[]>>;
  /** Drops what was read for the account, so its next delivery reads its secrets again (after a rotation). */
  forget(accountId: string): void;
}

/**
 * The secrets each account signs with right now, current first, read from the database at most
 * once a second per account; the decryption is cached for good, keyed by the sealed text, which
 * never changes for a given secret. One per process (on the AppContext): a rotation made here is
 * forgotten at once, so the very next delivery carries the new secret's X-Real-ID-Signature (a
 * merchant who rotates and sends a test webhook straight away checks it with the secret just
 * shown); other processes pick a rotation up within the second.
 */
export function createSecretSource(box: CryptoBox): SecretSource {
  const opened = new Map<string, string>();
  const recent = new Map<string, { readAt: number; secrets: string[] }>();
  const open = (sealed: string): string => {
    let plain = opened.get(sealed);
    if (plain === undefined) {
      if (opened.size > 10_000) opened.clear();
      plain = box.openText(sealed);
      opened.set(sealed, plain);
    }
    return plain;
  };
  return {
    async secretsFor(q, accountIds, now) {
      const out = new Map<string, string[]>();
      for (const accountId of accountIds) {
        const known = recent.get(accountId);
        if (known && now - known.readAt < SECRETS_FRESH_MS && now >= known.readAt) {
          out.set(accountId, known.secrets);
          continue;
        }
        const rows = await findSigningSecrets(q, accountId, now);
        const secrets = rows.map((row) => open(row.secret_enc));
        if (recent.size > 10_000) recent.clear();
        recent.set(accountId, { readAt: now, secrets });
        out.set(accountId, secrets);
      }
      return out;
    },
    forget: (accountId) => void recent.delete(accountId),
  };
}
