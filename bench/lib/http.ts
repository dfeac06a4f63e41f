/** A lean keep-alive HTTP/1.1 client for load: node:http, no per-request allocations beyond the body. */
import { Agent, request } from 'node:http';

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

export class Http {
  private readonly agent: Agent;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly key: string,
    maxSockets = 128,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  get<T = unknown>(path: string, timeoutMs = 30_000): Promise<Answer<T>> {
    return this.send<T>('GET', path, undefined, timeoutMs);
  }

  post<T = unknown>(path: string, body: unknown, timeoutMs = 30_000): Promise<Answer<T>> {
    return this.send<T>('POST', path, JSON.stringify(body), timeoutMs);
  }

  private send<T>(method: string, path: string, payload: string | undefined, timeoutMs: number): Promise<Answer<T>> {
    return new Promise((resolve, reject) => {
      // An empty key sends no credentials: a public client, as a browser reading /status is.
      const headers: Record<string, string | number> = this.key ? { authorization: `Bearer ${this.key}` } : {};
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(payload);
      }
      const req = request({ host: this.host, port: this.port, method, path, headers, agent: this.agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if ((res.headers['content-type'] ?? '').includes('json') && text) {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, body: body as T });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
