import type { AppContext } from './context.js';
import type { BackgroundJob } from './jobs.js';

/**
 * A job that runs `sweep` at start and then every config.retention.sweepIntervalMs, one run at a
 * time (a slow sweep is never overlapped by the next), and whose stop waits for the run in
 * progress. A failed run is logged and retried at the next tick.
 *
 * @example periodicJob('check-retention', sweepExpiredChecks, (ctx) => ctx.config.retention.checkDays !== null)
 */
export function periodicJob(
  name: string,
  sweep: (ctx: AppContext) => Promise<unknown>,
  enabled: (ctx: AppContext) => boolean = () => true,
): BackgroundJob {
  return {
    name,
    async start(ctx) {
      if (!enabled(ctx)) return async () => {};
      let running: Promise<unknown> = Promise.resolve();
      const tick = () => {
        running = running.then(() => sweep(ctx)).catch((error) => ctx.log.warn({ err: error, job: name }, `${name} failed; will retry at the next tick`));
      };
      tick();
      const timer = setInterval(tick, ctx.config.retention.sweepIntervalMs);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await running;
      };
    },
  };
}
