/** Reading a Server-Sent Events stream (the HTML standard's event stream format). */

export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
  /** The reconnection time the server last asked for, in ms. */
  retry?: number;
}

/** Longest event the reader holds; a stream that sends a longer one is cut off. */
const MAX_EVENT_CHARS = 4 * 1024 * 1024;

/** The events of a stream, in order, as they arrive; comments are skipped. */
export async function* readEvents(stream: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: { event?: string; data: string[]; id?: string } = { data: [] };
  // The reconnection time holds until the server changes it, as the last event id does.
  let retry: number | undefined;
  let held = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // A line ends at CRLF, LF or CR; a CR at the end of the buffer may be the start of a CRLF,
      // unless the stream has ended.
      let match: RegExpExecArray | null;
      const lineEnd = done ? /\r\n|\n|\r/g : /\r\n|\n|\r(?!$)/g;
      let start = 0;
      while ((match = lineEnd.exec(buffer))) {
        const line = buffer.slice(start, match.index);
        start = match.index + match[0].length;
        if (line === '') {
          if (event.data.length > 0 || event.event !== undefined) {
            yield { event: event.event ?? 'message', data: event.data.join('\n'), ...(event.id !== undefined ? { id: event.id } : {}), ...(retry !== undefined ? { retry } : {}) };
          }
          event = { data: [] };
          held = 0;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        held += value.length;
        if (held > MAX_EVENT_CHARS) throw new Error(`an event of the stream is longer than ${MAX_EVENT_CHARS} characters`);
        if (field === 'event') event.event = value;
        else if (field === 'data') event.data.push(value);
        else if (field === 'id' && !value.includes('\u0000')) event.id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
      }
      buffer = buffer.slice(start);
      if (buffer.length > MAX_EVENT_CHARS) throw new Error(`a line of the stream is longer than ${MAX_EVENT_CHARS} characters`);
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
