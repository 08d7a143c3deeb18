import type { CryptoBox } from '../core/crypto-box.js';
import type { Queryable } from '../db/database.js';
import { findSigningSecrets } from '../db/repos/webhook-secrets.js';

/**
 * The secrets each account signs with right now, current first. They are read from the database
 * for every batch (so a rotation applies to the very next delivery, in every process); only the
 * decryption is cached, keyed by the sealed text, which never changes for a given secret.
 */
export function createSecretSource(box: CryptoBox) {
  const opened = new Map<string, string>();
  const open = (sealed: string): string => {
    let plain = opened.get(sealed);
    if (plain === undefined) {
      if (opened.size > 10_000) opened.clear();
      plain = box.openText(sealed);
      opened.set(sealed, plain);
    }
    return plain;
  };
  return async function secretsFor(q: Queryable, accountIds: string[], now: number): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const accountId of accountIds) {
      const rows = await findSigningSecrets(q, accountId, now);
      out.set(accountId, rows.map((row) => open(row.secret_enc)));
    }
    return out;
  };
}

export type SecretSource = ReturnType<typeof createSecretSource>;
