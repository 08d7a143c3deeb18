import type { BenchContext } from './bench-context.js';
import { peakRssMb, startChild, type Child } from './child.js';
import { wallClockMs } from './clock.js';
import { keepProfile, readMainThreadProfile, readSendingThreadProfile, summariseProfile, type ProfileSummary } from './cpu-profile.js';
import { RESULTS_DIR } from './report.js';

/**
 * Our service as a scenario deploys it. On SQLite: one process that produces and delivers (what
 * `npm start` runs). On PostgreSQL: a producing process, plus `workerProcesses` processes with
 * the worker role, sharing the work through the database.
 */
export interface OursLayout {
  db: string;
  /** 0: the producer delivers too (SQLite, one process). */
  workerProcesses: number;
  /** false: nobody delivers (filling a backlog). */
  deliver?: boolean;
}

export interface OursDeployment {
  producer: Child;
  /** The processes running delivery workers: what RSS and profiles are taken from. */
  deliverers: Child[];
  /** The names of the background jobs the service registered (src/jobs.ts). */
  jobs: string[];
  peakRssMb(): Promise<number | null>;
  /**
   * Stops every process; with --cpu-prof, returns the hot functions of the first deliverer and
   * keeps its whole profile as `bench/results/profiles/<row>.cpuprofile`.
   */
  stop(row?: string): Promise<ProfileSummary | undefined>;
}

export async function deployOurs(bench: BenchContext, layout: OursLayout): Promise<OursDeployment> {
  const deliver = layout.deliver ?? true;
  const dataDir = bench.tempDir('data');
  const profileDirs: string[] = [];
  const spawn = async (delivers: boolean, profiled: boolean) => {
    const dir = profiled && bench.cpuProf ? bench.tempDir('prof') : null;
    if (dir) profileDirs.push(dir);
    // Profiled processes run from source, so each function keeps its own file in the profile.
    const child = await startChild('service-process.ts', dir ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`], fromSource: true } : {});
    const started = await child.call<{ jobs: string[] }>('start', { db: layout.db, deliver: delivers, dataDir });
    return { child, jobs: started.jobs };
  };

  const inProcess = deliver && layout.workerProcesses === 0;
  // The producer migrates the database first, so worker processes never race each other to do it.
  const producer = await spawn(inProcess, inProcess);
  const workers = deliver ? await Promise.all(Array.from({ length: layout.workerProcesses }, () => spawn(true, true))) : [];
  const deliverers = inProcess ? [producer.child] : workers.map((w) => w.child);

  return {
    producer: producer.child,
    deliverers,
    jobs: (workers[0] ?? producer).jobs,
    async peakRssMb() {
      const peaks = await Promise.all(deliverers.map((child) => peakRssMb(child.pid)));
      const known = peaks.filter((mb): mb is number => mb !== null);
      return known.length > 0 ? Math.max(...known) : null;
    },
    async stop(row) {
      const stopped = wallClockMs();
      await Promise.all(workers.map((w) => w.child.stop()));
      await producer.child.stop();
      bench.log(`  stopped the service in ${Math.round(wallClockMs() - stopped)} ms`);
      const found = profileDirs[0] ? readMainThreadProfile(profileDirs[0]) : null;
      if (!found) return undefined;
      const summary = summariseProfile(found.profile, row ? keepProfile(found.file, row, RESULTS_DIR) : undefined);
      const sending = readSendingThreadProfile(profileDirs[0]!);
      if (sending) summary.sendingThread = summariseProfile(sending.profile, row ? keepProfile(sending.file, `${row}.sending-thread`, RESULTS_DIR) : undefined);
      return summary;
    },
  };
}
