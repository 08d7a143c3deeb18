import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/** A statement is prepared on its second run: one that runs once is not worth a name on the server. */
const PREPARE_ON_RUN = 2;
/** At most this many names (each a parsed statement and plan held by every connection that ran it). */
const MAX_PREPARED = 200;
/** At most this many statements counted while they wait for their second run. */
const MAX_COUNTED = 500;
/** Generic plans only once every hot table is at least this big on disk (see PlanModes). */
const GENERIC_PLANS_FROM_BYTES = 2 * 1024 * 1024;
/** How often a connection still planning every run looks again. */
const RECHECK_MS = 1000;
/** PostgreSQL's answer when a prepared SELECT's columns changed under it (a migration by a newer version). */
const RESULT_TYPE_CHANGED = '0A000';

/**
 * Which SQL texts run as named (prepared) statements. PostgreSQL parses, analyses and plans an
 * unnamed statement every time it runs; a named one is parsed once per connection and, after
 * five runs, usually planned once too (its generic plan, when PostgreSQL judges it no worse
 * than the custom ones). Our hot statements have texts that do not depend on how many rows they
 * carry (arrays, not lists: see unnestColumns and inIdList), so a handful of names covers them;
 * planning alone was a tenth of the time of the statement that records a batch of attempts
 * (pg_stat_statements with track_planning, in the bench's --cpu-prof).
 *
 * Only statements with parameters are named (not BEGIN, COMMIT, DDL). `pg` prepares a name on
 * each connection the first time that connection runs it.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly runs = new Map<string, number>();
  private readonly refused = new Set<string>();
  private issued = 0;

  /** The name to run `text` under, or undefined to run it unnamed. */
  nameFor(text: string): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined || this.issued >= MAX_PREPARED || this.refused.has(text)) return name;
    const runs = (this.runs.get(text) ?? 0) + 1;
    if (runs < PREPARE_ON_RUN) {
      if (this.runs.size < MAX_COUNTED) this.runs.set(text, runs);
      return undefined;
    }
    this.runs.delete(text);
    const named = `realid_${++this.issued}`;
    this.names.set(text, named);
    return named;
  }

  /** Runs `text` unnamed from now on (its prepared form failed). Its name is never reused. */
  refuse(text: string): void {
    this.names.delete(text);
    this.refused.add(text);
  }
}

/**
 * Whether each connection's prepared statements may use PostgreSQL's generic plans.
 *
 * After five runs PostgreSQL plans a prepared statement once, for any values, and keeps that plan
 * until the table's statistics next change. That saves planning the claim on every batch: with
 * the worker in a process of its own, about a fifth of the database's CPU per delivery (three
 * alternating bench pairs: 153–160 µs planning every run, 123–129 µs with generic plans). But a
 * generic plan made while a table held a few rows reads the whole table, and keeps doing so as it
 * grows until autovacuum next analyses it: a lookup of 100 payloads by id took 772 ms instead of
 * 3 once `events` had grown from 20 rows to 300,000 (`node --import tsx bench/plan-risk.ts`).
 * So a connection plans every run (`force_custom_plan`; parsing is still saved) until `events`,
 * `deliveries` and `attempts` are each 2 MB on disk, where a lookup by id plans as an index scan,
 * looking again at most once a second until they are (a fresh install); then PostgreSQL's default.
 */
export class PlanModes {
  private readonly decided = new WeakMap<pg.PoolClient, { generic: boolean; checkedAt: number }>();

  constructor(private readonly minimumBytes = GENERIC_PLANS_FROM_BYTES) {}

  /** Whether the connection is new, or still on small tables and due another look: decided on every checkout, so without a promise. */
  due(client: pg.PoolClient, now = Date.now()): boolean {
    const known = this.decided.get(client);
    return !known || (!known.generic && now - known.checkedAt >= RECHECK_MS);
  }

  /** Looks at the tables' size and sets the connection's mode (only when `due`). */
  async decide(client: pg.PoolClient): Promise<void> {
    const now = Date.now();
    const result = await client.query<{ big: boolean | null }>(
      `select bool_and(coalesce(pg_relation_size(to_regclass(t)), 0) >= ${this.minimumBytes}) as big from unnest(array['events', 'deliveries', 'attempts']) as t`);
    const generic = result.rows[0]?.big === true;
    if (generic || !this.decided.has(client)) await client.query(`set plan_cache_mode = ${generic ? 'auto' : 'force_custom_plan'}`);
    this.decided.set(client, { generic, checkedAt: now });
  }
}

/** Kysely's view of a `pg` pool whose clients run repeated statements prepared (see StatementNames, PlanModes). */
export function preparingPool(pool: pg.Pool, names = new StatementNames(), plans = new PlanModes()): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      if (plans.due(client)) {
        try {
          await plans.decide(client);
        } catch (error) {
          client.release(true);
          throw error;
        }
      }
      return {
        query: ((text: string | PostgresCursor<unknown>, parameters?: ReadonlyArray<unknown>) => {
          if (typeof text !== 'string') return client.query(text as unknown as pg.Submittable);
          return runNamed(client, names, text, parameters ?? []);
        }) as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
}

function runNamed(client: pg.PoolClient, names: StatementNames, text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>> {
  const name = parameters.length > 0 ? names.nameFor(text) : undefined;
  const values = parameters as unknown[];
  if (name === undefined) return client.query(text, values) as unknown as Promise<PostgresQueryResult<unknown>>;
  return (client.query({ name, text, values }) as unknown as Promise<PostgresQueryResult<unknown>>).catch((error: unknown) => {
    // The statement fails this once (its transaction is aborted anyway); every later run is unnamed.
    if ((error as { code?: string }).code === RESULT_TYPE_CHANGED) names.refuse(text);
    throw error;
  });
}
