import type { BackgroundJob } from '../jobs.js';
import { countQueue } from '../db/repos/deliveries.js';
import { createDeliveryWorker } from './worker.js';

/** How often the queue-depth gauge is refreshed; a count is cheap but not free. */
const QUEUE_GAUGE_INTERVAL_MS = 5_000;

/** The delivery worker as a background job of the worker role, with the queue-depth gauge beside it. */
export const deliveryJob: BackgroundJob = {
  name: 'webhook-delivery',
  async start(ctx) {
    const worker = createDeliveryWorker(ctx);
    worker.start();
    const refreshGauge = async () => {
      try {
        const depth = await countQueue(ctx.db.kysely, Date.now());
        for (const [state, value] of Object.entries(depth)) ctx.metrics.queueDepth.set({ state }, value);
      } catch (error) {
        ctx.log.warn({ err: error }, 'could not count the delivery queue');
      }
    };
    void refreshGauge();
    const gauge = setInterval(refreshGauge, QUEUE_GAUGE_INTERVAL_MS);
    gauge.unref();
    return async () => {
      clearInterval(gauge);
      await worker.stop();
    };
  },
};
