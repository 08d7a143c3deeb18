import { EventEmitter } from 'node:events';
import type { AppContext } from '../context.js';

/**
 * A nudge for live event streams (SSE) in this process: the check services call
 * `announceEventsCommitted` after a commit that recorded events, so a stream pushes them at once.
 * Events committed by other processes are found by the stream's slow poll, and sooner when a
 * delivery wake-up (LISTEN/NOTIFY) arrives.
 */
const feeds = new WeakMap<AppContext, EventEmitter>();

function feedOf(ctx: AppContext): EventEmitter {
  let feed = feeds.get(ctx);
  if (!feed) {
    feed = new EventEmitter();
    feed.setMaxListeners(0);
    feeds.set(ctx, feed);
  }
  return feed;
}

export function announceEventsCommitted(ctx: AppContext): void {
  feedOf(ctx).emit('committed');
}

export function onEventsCommitted(ctx: AppContext, listener: () => void): () => void {
  const feed = feedOf(ctx);
  feed.on('committed', listener);
  const stopWake = ctx.wakeups.onWake(listener);
  return () => {
    feed.off('committed', listener);
    stopWake();
  };
}
