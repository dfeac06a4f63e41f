import { readEvents, type ServerSentEvent } from './sse';

/** A stream that delivers `chunks` as they are, however they split lines and characters. */
function streamOf(chunks: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function all(stream: ReadableStream<Uint8Array>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readEvents(stream)) events.push(event);
  return events;
}

describe('reading Server-Sent Events', () => {
  it('reads events with ids, names, multi-line data and the retry time; skips comments', async () => {
    const events = await all(
      streamOf(['retry: 2000\n\n', ': keep-alive\n\n', 'id: 0\nevent: timeline\ndata: {"a":1}\n\n', 'id: 1\nevent: timeline\ndata: line one\ndata: line two\n\n', 'event: end\ndata: {}\n\n']),
    );
    expect(events).toEqual([
      { event: 'timeline', data: '{"a":1}', id: '0', retry: 2000 },
      { event: 'timeline', data: 'line one\nline two', id: '1', retry: 2000 },
      { event: 'end', data: '{}', retry: 2000 },
    ]);
  });

  it('reads events split anywhere across chunks, even inside a character, with any line ending', async () => {
    const bytes = new TextEncoder().encode('id: 7\r\nevent: timeline\r\ndata: café ☕\r\n\r\ndata: plain\rdata:no space\r\r');
    const chunks = [...bytes].map((byte) => new Uint8Array([byte]));
    expect(await all(streamOf(chunks))).toEqual([
      { event: 'timeline', data: 'café ☕', id: '7' },
      { event: 'message', data: 'plain\nno space' },
    ]);
  });

  it('drops an event the stream never finished', async () => {
    expect(await all(streamOf(['id: 1\nevent: timeline\ndata: {"whole":true}\n\nid: 2\nevent: timeline\ndata: {"cut']))).toEqual([
      { event: 'timeline', data: '{"whole":true}', id: '1' },
    ]);
  });

  it('refuses an event longer than it holds', async () => {
    const huge = `data: ${'x'.repeat(4 * 1024 * 1024 + 1)}\n\n`;
    await expect(all(streamOf([huge]))).rejects.toThrow(/longer than/);
  });
});
