import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as foundation from './001-foundation.js';
import * as checkSearch from './002-check-search.js';
import * as delivery from './003-delivery.js';
import * as endpointDue from './004-endpoint-due.js';
import * as postgresHotPathKeys from './005-postgres-hot-path-keys.js';
import * as leaseWithoutStatus from './006-lease-without-status.js';

/** What differs between the dialects inside a migration; everything else is written once. */
export interface MigrationContext {
  dialect: 'sqlite' | 'postgres';
  binaryType: 'blob' | 'bytea';
}

type MigrationModule = { up(db: Kysely<any>, ctx: MigrationContext): Promise<void> };

/** Ordered by name. Add a file, import it here; never edit one that has shipped. */
const MIGRATIONS: Record<string, MigrationModule> = {
  '001-foundation': foundation,
  '002-check-search': checkSearch,
  '003-delivery': delivery,
  '004-endpoint-due': endpointDue,
  '005-postgres-hot-path-keys': postgresHotPathKeys,
  '006-lease-without-status': leaseWithoutStatus,
};

export function migrationProvider(dialect: MigrationContext['dialect']): MigrationProvider {
  const ctx: MigrationContext = { dialect, binaryType: dialect === 'sqlite' ? 'blob' : 'bytea' };
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, module] of Object.entries(MIGRATIONS)) out[name] = { up: (db) => module.up(db, ctx) };
      return out;
    },
  };
}
