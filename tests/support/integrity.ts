import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

/**
 * Rows whose parent is missing, for each reference the hot path no longer has PostgreSQL check
 * (migration 005): all zero when the writes' own ordering keeps the references whole.
 */
export async function rowsWithoutParent(db: Kysely<Database>) {
  const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }) => Number((await query.executeTakeFirstOrThrow()).n);
  return {
    eventsWithoutAccount: await count(db.selectFrom('events as c').select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('accounts as p').select('p.id').whereRef('p.id', '=', 'c.account_id'))))),
    deliveriesWithoutEndpoint: await count(db.selectFrom('deliveries as c').select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('endpoints as p').select('p.id').whereRef('p.id', '=', 'c.endpoint_id'))))),
    deliveriesWithoutEvent: await count(db.selectFrom('deliveries as c').select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('events as p').select('p.id').whereRef('p.id', '=', 'c.event_id'))))),
    attemptsWithoutDelivery: await count(db.selectFrom('attempts as c').select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('deliveries as p').select('p.id').whereRef('p.id', '=', 'c.delivery_id'))))),
  };
}

export const NO_ORPHANS = { eventsWithoutAccount: 0, deliveriesWithoutEndpoint: 0, deliveriesWithoutEvent: 0, attemptsWithoutDelivery: 0 };
