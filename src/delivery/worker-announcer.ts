import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { HandedOff } from './local-handoff.js';
import { ANNOUNCE_EVERY_MS, ANNOUNCE_MIN_MS, readMessage, WORKERS_CHANNEL, type WorkerAnnouncement } from './remote-handoff.js';

/** A worker's room as it would announce it (see WorkerAnnouncement). */
export type Room = Pick<WorkerAnnouncement, 'room' | 'per' | 'rooms'>;

export interface AnnouncerOptions {
  owner: string;
  leaseMs: number;
  room(): Room;
  /** Deliveries a producer wrote leased to this worker, as its messages arrive. */
  accept(handed: HandedOff[]): void;
  /**
   * The listening connection is back after it was lost: messages sent meanwhile never arrive, so
   * the worker looks for what was handed to it in the database (see findHandedTo).
   */
  relistened(): void;
}

export interface Announcer {
  /** Says goodbye (producers stop at once) and stops listening. */
  stop(): Promise<void>;
}

/**
 * The worker's side of WorkerDirectory, on PostgreSQL: listens on a channel of its own for
 * deliveries handed to it, and announces that channel with its room on WORKERS_CHANNEL — every
 * ANNOUNCE_EVERY_MS, and sooner (looked at every ANNOUNCE_MIN_MS) when its room changed. Announcements go through the connection that listens, so a worker whose connection is
 * down falls silent and producers stop handing it work within WORKER_STALE_MS.
 */
export async function startAnnouncer(ctx: AppContext, options: AnnouncerOptions): Promise<Announcer> {
  const channel = `realid_worker_${randomUUID().replaceAll('-', '')}`;
  let stopped = false;
  let last = '';
  let lastAt = 0;
  let timer: NodeJS.Timeout | null = null;

  // One at a time: the next beat is set only once an announcement has gone (see beat).
  const announce = async (): Promise<void> => {
    if (stopped) return;
    const room = options.room();
    const body = JSON.stringify(room);
    const now = Date.now();
    if (body === last && now - lastAt < ANNOUNCE_EVERY_MS) return;
    const announcement: WorkerAnnouncement = { owner: options.owner, channel, leaseMs: options.leaseMs, ...room };
    const heard = await ctx.wakeups.notifyNow(WORKERS_CHANNEL, JSON.stringify(announcement));
    if (heard) {
      last = body;
      lastAt = now;
    }
  };

  // A transaction's messages (and often several transactions') arrive in one read from the
  // socket: they are taken together, as one claim would be, not as one small batch each.
  let arrived: HandedOff[] = [];
  const takeArrived = () => {
    const handed = arrived;
    arrived = [];
    options.accept(handed);
  };
  const unlisten = await ctx.wakeups.listenTo(channel, (payload) => {
    const handed = readMessage(payload);
    if (!handed) {
      ctx.log.warn({ channel }, 'a hand-off message this worker could not read; its deliveries will be claimed after their lease');
      return;
    }
    if (arrived.length === 0) setImmediate(takeArrived);
    for (const one of handed) arrived.push(one);
  });
  const stopHearingReconnects = ctx.wakeups.onReconnect(() => { if (!stopped) options.relistened(); });
  const beat = () => {
    timer = setTimeout(() => {
      void announce().finally(() => { if (!stopped) beat(); });
    }, ANNOUNCE_MIN_MS);
    timer.unref();
  };
  await announce();
  beat();

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      stopHearingReconnects();
      if (timer) clearTimeout(timer);
      const bye: WorkerAnnouncement = { owner: options.owner, channel, leaseMs: options.leaseMs, room: 0, per: 0, rooms: {}, bye: true };
      await ctx.wakeups.notifyNow(WORKERS_CHANNEL, JSON.stringify(bye));
      await unlisten();
    },
  };
}
