import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/** How often the background thread copies the WAL into the database file. */
const CHECKPOINT_EVERY_MS = 200;
/**
 * Past this many WAL pages (4 KiB each: 64 MiB) a passive checkpoint is not keeping up, so the
 * thread runs a RESTART checkpoint, which briefly makes the writer wait but lets the WAL start
 * over from its beginning.
 */
const RESTART_ABOVE_PAGES = 16_384;
/** The WAL file is cut back to this size once it has been checkpointed (SQLite keeps it otherwise). */
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * The thread's whole program. It runs as an eval'd CommonJS script, so it needs no file of its
 * own next to the bundle; better-sqlite3 is loaded from the path the main thread resolved.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
let timer = null;
const checkpoint = () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    if (row && row.log > workerData.restartAbovePages) db.pragma('wal_checkpoint(RESTART)');
  } catch (error) {
    // SQLITE_BUSY and the like: the next round tries again.
  }
  timer = setTimeout(checkpoint, workerData.everyMs);
};
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  checkpoint();
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
checkpoint();
`;

export interface Checkpointer {
  /** Runs a last checkpoint and ends the thread; the main connection checkpoints again as it closes. */
  stop(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the connection that commits past
 * 1,000 WAL pages copies them into the database file and fsyncs it inside that COMMIT, on the
 * main thread: under load that was half of all the time spent committing (a commit averaged
 * 1.4 ms with it, 0.7 ms without). Here the main connection never checkpoints, and a worker
 * thread with its own connection does it every 200 ms. WAL checkpoints never change what a
 * commit promises (a committed transaction is in the WAL, which survives kill -9), so this moves
 * work, not risk. If the thread cannot start or dies, the main connection checkpoints itself again.
 */
export function startCheckpointer(sqlite: SqliteDatabase.Database, file: string, onProblem: (error: Error) => void): Checkpointer {
  sqlite.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
  sqlite.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: { driver, file, everyMs: CHECKPOINT_EVERY_MS, restartAbovePages: RESTART_ABOVE_PAGES },
    // A helper thread: it must never keep the process alive, nor take more than it needs.
    resourceLimits: { maxOldGenerationSizeMb: 32 },
  });
  worker.unref();
  const fallBack = (error: Error) => {
    if (stopping) return;
    stopping = true;
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
    onProblem(error);
  };
  worker.on('error', fallBack);
  worker.on('exit', (code) => fallBack(new Error(`the SQLite checkpoint thread exited (code ${code}); the main connection checkpoints again`)));
  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      // Held until it has exited: an unref'd thread is nothing to wait for, and a process with
      // nothing else left would end mid-await (a CLI command exited with code 13 that way).
      worker.ref();
      worker.postMessage('stop');
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
      await Promise.race([exited, timeout]);
      await worker.terminate();
      if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
    },
  };
}
