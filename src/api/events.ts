import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { normaliseEventType } from '../core/event-types.js';
import { findEvent, listEvents, listRecentEvents } from '../db/repos/events.js';
import type { EventsTable } from '../db/schema.js';
import { onEventsCommitted } from '../services/checks-event-feed.js';
import { principalOf } from './auth.js';
import { IdParams, errorResponses } from './schemas.js';

const tags = ['Events'];

const EventOut = Type.Object({
  id: Type.String({ description: 'Also the webhook-id header of its deliveries.' }),
  type: Type.String(),
  check_id: Type.String(),
  created_at: Type.String(),
  data: Type.Unknown({ description: 'The webhook body, parsed (the exact bytes are what is signed).' }),
});

const EventListQuery = Type.Object({
  after: Type.Optional(Type.String({ maxLength: 64, description: 'Only events after this event id (oldest first): poll with the last id you saw.' })),
  type: Type.Optional(Type.String({ maxLength: 400, description: 'One or more event types, comma-separated; check.created means check.delivered.' })),
  check_id: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
}, { additionalProperties: false });

const StreamQuery = Type.Object({
  after: Type.Optional(Type.String({ maxLength: 64 })),
  type: Type.Optional(Type.String({ maxLength: 400 })),
  check_id: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });

export function eventOut(row: EventsTable) {
  return { id: row.id, type: row.type, check_id: row.check_id, created_at: new Date(row.created_at).toISOString(), data: JSON.parse(row.payload) };
}

function parseTypes(text: string | undefined): string[] | undefined {
  if (!text) return undefined;
  return text.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    const type = normaliseEventType(item);
    if (!type) throw new AppError('RID_ERR_VALIDATION', `"${item}" is not an event type.`, [{ field: 'type', message: 'is not an event type' }]);
    return type;
  });
}

// Ids are minted before commit, so a slow transaction can commit an older id after a newer one
// was streamed; re-reading this window by time (and skipping what was sent) catches it.
const LATE_COMMIT_WINDOW_MS = 10_000;
const SAFETY_POLL_MS = 1_000;
const HEARTBEAT_MS = 15_000;
const PAGE = 500;

/** Walks forward through `read` page by page (by id), handing each row to `each`. */
async function drain(read: (afterId: string | undefined) => Promise<EventsTable[]>, each: (row: EventsTable) => void): Promise<void> {
  let afterId: string | undefined;
  for (;;) {
    const page = await read(afterId);
    page.forEach(each);
    if (page.length < PAGE) return;
    afterId = page[page.length - 1].id;
  }
}

/**
 * Server-Sent Events: replays the account's events after `after` (or Last-Event-ID), then pushes
 * each new one as it commits. `id:` = event id, `event:` = its type, `data:` = EventOut as JSON.
 */
function streamEvents(ctx: AppContext, open: Set<FastifyReply>) {
  return async (request: FastifyRequest<{ Querystring: Static<typeof StreamQuery> }>, reply: FastifyReply) => {
    const { accountId } = principalOf(request);
    // A stream never ends: only open one for a client that asked for it (EventSource always does),
    // not for a plain GET that would wait for a body forever.
    if (!/\btext\/event-stream\b/.test(request.headers.accept ?? '')) {
      throw new AppError('RID_ERR_VALIDATION', 'This is a Server-Sent Events stream: send "Accept: text/event-stream" (EventSource and `realid listen` do).');
    }
    const types = parseTypes(request.query.type);
    const checkId = request.query.check_id;
    const lastEventId = request.headers['last-event-id'];
    const replayFrom = request.query.after ?? (typeof lastEventId === 'string' ? lastEventId : undefined);
    // Without a cursor, the stream starts now; with one, the replay covers the past.
    const baseline = Date.now() - (replayFrom ? LATE_COMMIT_WINDOW_MS : 0);
    const sent = new Map<string, number>();
    const wanted = (row: EventsTable) => (!types || types.includes(row.type)) && (!checkId || row.check_id === checkId);

    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    reply.raw.write(': connected\n\n');
    open.add(reply);

    const send = (row: EventsTable) => {
      if (sent.has(row.id) || (replayFrom && row.id <= replayFrom)) return;
      sent.set(row.id, row.created_at);
      if (wanted(row)) reply.raw.write(`id: ${row.id}\nevent: ${row.type}\ndata: ${JSON.stringify(eventOut(row))}\n\n`);
    };
    let busy = false;
    let again = false;
    const pump = async () => {
      if (busy) { again = true; return; }
      busy = true;
      try {
        do {
          again = false;
          const since = Math.max(baseline, Math.max(0, ...sent.values()) - LATE_COMMIT_WINDOW_MS);
          await drain((afterId) => listRecentEvents(ctx.db.kysely, accountId, since, afterId, PAGE), send);
          for (const [id, at] of sent) if (at < since) sent.delete(id);
        } while (again && !reply.raw.destroyed);
      } catch (error) {
        request.log.warn({ err: error }, 'event stream read failed; retrying on the next tick');
      } finally {
        busy = false;
      }
    };

    // The replay runs before any live push, so the stream stays in id order.
    if (replayFrom) await drain((afterId) => listEvents(ctx.db.kysely, { accountId, after: afterId ?? replayFrom, limit: PAGE }), send);
    const stopFeed = onEventsCommitted(ctx, () => void pump());
    const poll = setInterval(() => void pump(), SAFETY_POLL_MS);
    const heartbeat = setInterval(() => reply.raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    reply.raw.on('close', () => {
      stopFeed();
      clearInterval(poll);
      clearInterval(heartbeat);
      open.delete(reply);
    });
    await pump();
  };
}

/** The account's events: a polling fallback for webhooks, the dashboard's timeline, and a live stream. */
export function register(app: FastifyInstance, ctx: AppContext): void {
  const openStreams = new Set<FastifyReply>();
  // Streams never end by themselves; close them so the server can shut down.
  app.addHook('preClose', async () => {
    for (const reply of openStreams) reply.raw.end();
  });

  app.get<{ Querystring: Static<typeof EventListQuery> }>('/api/v1/events', {
    schema: { operationId: 'v1.event.list', tags, querystring: EventListQuery, response: { 200: Type.Object({ data: Type.Array(EventOut), has_more: Type.Boolean(), next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as after for the next page.' }) }), ...errorResponses } },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const rows = await listEvents(ctx.db.kysely, {
      accountId: principalOf(request).accountId, after: request.query.after, types: parseTypes(request.query.type), checkId: request.query.check_id, limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { data: page.map(eventOut), has_more: rows.length > limit, next_cursor: page.length > 0 ? page[page.length - 1].id : (request.query.after ?? null) };
  });

  app.get('/api/v1/events/stream', {
    schema: {
      operationId: 'v1.event.stream', tags, querystring: StreamQuery,
      description: 'text/event-stream: replays events after `after` (or the Last-Event-ID header), then pushes new events as they commit. `realid listen` uses it.',
    },
  }, streamEvents(ctx, openStreams));

  app.get<{ Params: Static<typeof IdParams> }>('/api/v1/events/:id', {
    schema: { operationId: 'v1.event.get', tags, params: IdParams, response: { 200: EventOut, ...errorResponses } },
  }, async (request) => {
    const row = await findEvent(ctx.db.kysely, principalOf(request).accountId, request.params.id);
    if (!row) throw new AppError('RID_ERR_EVENT_NOT_FOUND');
    return eventOut(row);
  });
}
