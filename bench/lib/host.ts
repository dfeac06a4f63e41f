/** The driver side of a bench child process: start it, call it, hear its marks, stop it. */
import { type ChildProcess, fork } from 'node:child_process';
import type { ChildMessage, MarkMessage } from './ipc';

export interface HostOptions {
  env?: Record<string, string>;
  execArgv?: string[];
  /** How long the child may take to say it is ready. */
  readyTimeoutMs?: number;
}

export class Host {
  private nextCall = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly exited: Promise<number | null>;
  private markListener: (mark: MarkMessage) => void = () => {};

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly port: number | undefined,
  ) {
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
    child.on('message', (message: ChildMessage) => {
      if (message.t === 'mark') this.markListener(message);
      else if (message.t === 'reply') {
        const call = this.pending.get(message.id);
        if (!call) return;
        this.pending.delete(message.id);
        if (message.error !== undefined) call.reject(new Error(`${name}: ${message.error}`));
        else call.resolve(message.value);
      }
    });
    void this.exited.then((code) => {
      for (const call of this.pending.values()) call.reject(new Error(`${name} exited (code ${code})`));
      this.pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static start(name: string, script: string, options: HostOptions = {}): Promise<Host> {
    const child = fork(script, [], {
      env: { ...process.env, ...options.env },
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} was not ready within ${(options.readyTimeoutMs ?? 120_000) / 1000}s`));
      }, options.readyTimeoutMs ?? 120_000);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited during start-up (code ${code})`));
      };
      child.once('exit', onExit);
      child.on('message', function ready(message: ChildMessage) {
        if (message.t !== 'ready') return;
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('message', ready);
        resolve(new Host(name, child, message.port));
      });
    });
  }

  onMark(listener: (mark: MarkMessage) => void): void {
    this.markListener = listener;
  }

  call<T>(method: string, timeoutMs = 30_000): Promise<T> {
    const id = this.nextCall++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${method} did not answer within ${timeoutMs / 1000}s`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value as T)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.child.send({ t: 'call', id, method });
    });
  }

  /** Asks the child to stop; kills it when it has not within `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send({ t: 'stop' });
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
