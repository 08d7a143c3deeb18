import { describe, expect, it } from 'vitest';
import { readSse } from './sse.js';

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({ start(controller) { for (const c of chunks) controller.enqueue(encoder.encode(c)); controller.close(); } });
}

describe('readSse', () => {
  it('reads messages split anywhere across chunks, skipping heartbeats', async () => {
    const out = [];
    for await (const m of readSse(streamOf(': heartbeat\n\nid: evt_1\nevent: check.completed\nda', 'ta: {"a":1}\n\n', 'id: evt_2\r\ndata: x\r\ndata: y\r\n\r\n'))) out.push(m);
    expect(out).toEqual([
      { id: 'evt_1', event: 'check.completed', data: '{"a":1}' },
      { id: 'evt_2', event: 'message', data: 'x\ny' },
    ]);
  });
});
