// HTTP off the engine's thread. Profiled under load, undici's socket work, HTTP parsing and the streams around them
// were a third of the engine thread's time, on the thread that also runs every SQLite write. WorkerHttpClient sends
// the same requests through the same HttpClient on a worker thread: the engine's thread only hands over a batch of
// requests per turn and takes back a batch of answers.
//
// The worker is a separate file of the build (out/main/http-worker.js beside the engine). Run from TypeScript
// sources (the unit tests), there is none, and createEngine keeps HttpClient on its own thread. If the worker dies,
// what it had in flight fails as a transport error (the attempt is recorded and retried: nothing is lost) and the
// client carries on with an HttpClient on the engine's thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SlotMap } from '../slot-map';
import type { Clock, Logger } from '../types';
import {
  type Exchanged,
  HttpClient,
  type HttpClientOptions,
  type HttpPoster,
  type HttpResponse,
  TransportError,
} from './client';

export interface PostRequest {
  id: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}
/** An answer, with how long its exchange took as the worker timed it (`ms`; null: it could not tell). */
export type PostReply =
  | { id: number; res: HttpResponse; ms: number }
  | {
      id: number;
      /** a TransportError's message (else an unexpected error) */
      error: string;
      transport: boolean;
      ms: number | null;
    };
export type ToWorker =
  | { type: 'post'; requests: PostRequest[] }
  | { type: 'allowLinkLocal'; allow: boolean }
  | { type: 'close' };
/** From the worker: a batch of answers, or (once, first) that its HTTP client is loaded and requests go out at once. */
export type FromWorker = PostReply[] | { type: 'ready' };
export interface WorkerData {
  options: HttpClientOptions;
}

/**
 * The worker's garbage is short-lived (requests and answers in flight); a small young generation keeps its memory
 * small (measured: V8's default of 16 MiB semi-spaces cost ~15 MiB of resident memory for nothing here).
 */
const LIMITS = { maxYoungGenerationSizeMb: 4 };

interface Waiting {
  resolve: (res: Exchanged) => void;
  reject: (err: Error) => void;
}

/** The built worker next to this module (or its chunk's parent); null when running from sources. */
export function httpWorkerFile(moduleUrl: string = import.meta.url): URL | null {
  for (const rel of ['./http-worker.js', './http-worker.mjs', '../http-worker.js', '../http-worker.mjs']) {
    const url = new URL(rel, moduleUrl);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

/**
 * The engine's HTTP client: requests from a worker thread when there is a built worker (`file`: that one; undefined:
 * the one beside this module; null: none), else from this thread. `ready` resolves once it can send at once (see
 * WorkerHttpClient.ready): the engine starts the worker first and waits for it last, while the rest is built.
 */
export function startHttp(
  clock: Clock,
  log: Logger,
  file: URL | null | undefined,
): { http: HttpPoster; ready: Promise<void> } {
  const worker = file === null ? null : WorkerHttpClient.start(clock, log, {}, file ?? httpWorkerFile());
  return worker ? { http: worker, ready: worker.ready() } : { http: new HttpClient(clock), ready: Promise.resolve() };
}

export class WorkerHttpClient implements HttpPoster {
  private nextId = 1;
  /** a SlotMap, not a Map: one entry set and deleted per request (see slot-map.ts) */
  private readonly waiting = new SlotMap<number, Waiting>();
  private outbox: PostRequest[] = [];
  private worker: Worker | null;
  /** after the worker died: requests go through this one */
  private fallback: HttpClient | null = null;
  private readonly flushNow = () => this.flush();
  /** settings.allowLinkLocal as last told, for a fallback client made later */
  private allowLinkLocal = false;
  /** resolves once the worker has loaded its HTTP client, or is gone (requests then go from this thread) */
  private readonly loaded: Promise<void>;
  private markLoaded: () => void = () => {};

  private constructor(
    worker: Worker,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: HttpClientOptions,
  ) {
    this.worker = worker;
    this.loaded = new Promise((resolve) => {
      this.markLoaded = resolve;
    });
    // Referenced only while requests are out, so an idle engine never keeps its process alive.
    worker.unref();
    worker.on('message', (m: FromWorker) => {
      if (Array.isArray(m)) this.settle(m);
      else if (m.type === 'ready') this.markLoaded();
    });
    worker.on('error', (err) => this.lost(`the HTTP worker failed: ${err.message}`));
    worker.on('exit', (code) => this.lost(`the HTTP worker exited (code ${code})`));
  }

  /**
   * Resolves once the worker thread has started and loaded its HTTP client (~200 ms on a small machine), or has
   * failed (its requests then go from this thread), or after `maxWaitMs`. The engine waits for it while starting, so
   * that its first deliveries do not wait for the thread instead (measured: the first of a paced stream took
   * ~250 ms, the worker's start-up). Requests posted before it resolves are not lost either way: they queue.
   */
  ready(maxWaitMs = 10_000): Promise<void> {
    // the thread keeps the process alive while it is awaited (whatever else the host has open)
    this.worker?.ref();
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.log.warn('the HTTP worker is slow to start; requests wait for it', { waitedMs: maxWaitMs });
        resolve();
      }, maxWaitMs);
      timer.unref();
    });
    return Promise.race([this.loaded, waited]).finally(() => {
      clearTimeout(timer);
      if (this.waiting.size === 0) this.worker?.unref();
    });
  }

  /** Starts the worker; null when there is no built worker file or it cannot start (use HttpClient then). */
  static start(clock: Clock, log: Logger, options: HttpClientOptions = {}, file = httpWorkerFile()) {
    if (!file) return null;
    try {
      const data: WorkerData = { options };
      return new WorkerHttpClient(new Worker(file, { workerData: data, resourceLimits: LIMITS }), clock, log, options);
    } catch (err) {
      log.warn('HTTP worker unavailable; requests are sent from the engine thread', { error: String(err) });
      return null;
    }
  }

  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Exchanged> {
    if (this.fallback || !this.worker) return this.inThread().post(url, headers, body, timeoutMs);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      if (this.waiting.size === 0) this.worker?.ref();
      this.waiting.set(id, { resolve, reject });
      // every attempt started in this synchronous stretch (a dispatcher pass starts many) goes in one message
      if (this.outbox.push({ id, url, headers, body, timeoutMs }) === 1) queueMicrotask(this.flushNow);
    });
  }

  setAllowLinkLocal(allow: boolean): void {
    this.allowLinkLocal = allow;
    this.fallback?.setAllowLinkLocal(allow);
    // ordered with the request batches on the same port: those posted after this connect under it
    this.worker?.postMessage({ type: 'allowLinkLocal', allow } satisfies ToWorker);
  }

  async close(): Promise<void> {
    this.markLoaded();
    const w = this.worker;
    this.worker = null;
    if (w) {
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage({ type: 'close' } satisfies ToWorker);
      const kill = setTimeout(() => void w.terminate(), 2_000);
      await exited;
      clearTimeout(kill);
    }
    this.failAll('the HTTP client was closed');
    await this.fallback?.close();
  }

  private flush(): void {
    const requests = this.outbox;
    this.outbox = [];
    if (requests.length === 0) return;
    if (!this.worker) {
      // the worker went away between post() and this flush: send these from here
      for (const q of requests) {
        const w = this.take(q.id);
        if (w) this.inThread().post(q.url, q.headers, q.body, q.timeoutMs).then(w.resolve, w.reject);
      }
      return;
    }
    this.worker.postMessage({ type: 'post', requests } satisfies ToWorker);
  }

  private settle(replies: PostReply[]): void {
    for (const r of replies) {
      const w = this.take(r.id);
      if (!w) continue;
      if ('res' in r) w.resolve({ response: r.res, durationMs: r.ms });
      else w.reject(r.transport ? new TransportError(r.error, r.ms) : new Error(r.error));
    }
  }

  private take(id: number): Waiting | undefined {
    const w = this.waiting.get(id);
    if (w) {
      this.waiting.delete(id);
      if (this.waiting.size === 0) this.worker?.unref();
    }
    return w;
  }

  /** The worker is gone: what it held fails (and is retried by the dispatcher), the rest goes from this thread. */
  private lost(reason: string): void {
    this.markLoaded(); // nothing more to wait for: requests go from this thread
    if (this.worker === null) return; // closed on purpose
    this.worker = null;
    this.log.error('HTTP worker stopped; requests are sent from the engine thread', { reason });
    this.failAll(reason);
  }

  private failAll(reason: string): void {
    const all = this.waiting.valuesArray();
    this.waiting.clear();
    for (const w of all) w.reject(new TransportError(reason));
    this.outbox = [];
  }

  private inThread(): HttpClient {
    if (!this.fallback) {
      this.fallback = new HttpClient(this.clock, this.options);
      this.fallback.setAllowLinkLocal(this.allowLinkLocal);
    }
    return this.fallback;
  }
}
