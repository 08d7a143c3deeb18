/** One Server-Sent Event. */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Reads an SSE stream (text/event-stream) into messages; comments (heartbeats) are skipped.
 * Small on purpose: the CLI needs only `id`, `event` and `data`.
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let message: SseMessage = { id: null, event: 'message', data: '' };
  let hasData = false;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (hasData) yield message;
        message = { id: null, event: 'message', data: '' };
        hasData = false;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') { message.data += (hasData ? '\n' : '') + value; hasData = true; }
      else if (field === 'event') message.event = value;
      else if (field === 'id') message.id = value;
    }
  }
}
