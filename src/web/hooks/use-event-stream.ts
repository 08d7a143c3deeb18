import { useEffect, useRef } from 'react';
import { EVENT_TYPES } from '../api/types.js';

/**
 * Calls `onEvent` for each event the account emits from now on (the API's SSE stream, with the
 * session cookie), or only those of one check. EventSource reconnects by itself and resumes from
 * the last event id.
 */
export function useEventStream(onEvent: (type: string) => void, checkId?: string): void {
  const saved = useRef(onEvent);
  saved.current = onEvent;
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/events/stream${checkId ? `?check_id=${encodeURIComponent(checkId)}` : ''}`);
    const handle = (message: MessageEvent) => saved.current(message.type);
    source.onmessage = handle;
    // The server names each message after its event type; listen for them all through one handler.
    for (const { type } of EVENT_TYPES) source.addEventListener(type, handle);
    return () => source.close();
  }, [checkId]);
}
