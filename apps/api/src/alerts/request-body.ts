import { PayloadTooLargeException } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The bytes of a request body, whichever way it arrived: kept by a body parser (JSON and
 * text keep the raw bytes), or still unread because no parser takes its content type
 * (`application/cloudevents+json`, or a binary-mode event's `application/xml`). An unread
 * body is read here, up to `limit` bytes (413 beyond, as the parsers answer).
 */
export async function requestBytes(request: Request & { rawBody?: Buffer }, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
  if (typeof request.body === 'string') return Buffer.from(request.body, 'utf8');
  if (request.readableEnded) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is drained unkept, so the sender reads the 413 rather than a reset.
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw new PayloadTooLargeException(`request body is larger than this route's limit of ${limit} bytes`);
  return Buffer.concat(chunks);
}
