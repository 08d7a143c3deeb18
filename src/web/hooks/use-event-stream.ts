import { useEffect, useRef } from 'react';

/**
 * Calls `onEvent` for each event the account emits from now on (the API's SSE stream, with the
 * session cookie). EventSource reconnects by itself and resumes from the last event id.
 */
export function useEventStream(onEvent: (type: string) => void): void {
  const saved = useRef(onEvent);
  saved.current = onEvent;
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/events/stream');
    const handle = (message: MessageEvent) => saved.current(message.type);
    source.onmessage = handle;
    // The server names each message after its event type; listen for them all through one handler.
    const types = ['check.delivered', 'check.opened', 'check.submitted-photo', 'check.completed', 'check.failed', 'customer.data_request', 'customer.manual_review_requested', 'customer.data_deletion_request'];
    for (const type of types) source.addEventListener(type, handle);
    return () => source.close();
  }, []);
}
