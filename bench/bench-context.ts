import type { BenchPostgres } from './postgres.js';
import type { Receiver } from './receiver-handle.js';

/** What every scenario is handed by the runner. */
export interface BenchContext {
  receiver: Receiver;
  quick: boolean;
  /** Deliveries in each row's discarded warm-up round (see probeAndWarmUp in measure.ts). */
  warmUpDeliveries: number;
  /** Run the measured service processes under `node --cpu-prof` and report their hot functions. */
  cpuProf: boolean;
  /** The run's PostgreSQL server, started on first use. */
  postgres(): Promise<BenchPostgres>;
  log(line: string): void;
  /** A fresh temporary directory, removed when the run ends (a million-row backlog is ~0.9 GB). */
  tempDir(purpose: string): string;
}
