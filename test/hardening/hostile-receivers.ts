// Receivers that misbehave on purpose, each on 127.0.0.1 port 0: the dispatcher must record a clear attempt for
// every one and keep delivering elsewhere. All of them are bounded (timers end, sockets are tracked and
// destroyed on close) so a test that forgets one still ends.
import { once } from 'node:events';
import {
  createServer as createHttpServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from 'node:net';

export interface HostileReceiver {
  /** base URL, e.g. http://127.0.0.1:43123/ */
  url: string;
  /** requests (or connections, for raw-socket receivers) seen so far */
  hits(): number;
  close(): Promise<void>;
}

/** A behaviour for a raw TCP receiver: it gets each connection after the request head arrived. */
type SocketBehaviour = (socket: Socket, timers: Set<NodeJS.Timeout>) => void;

/** Listens on 127.0.0.1:0; close() ends every timer and socket the receiver tracked, then the server. */
async function listenBounded(
  server: Server | HttpServer,
  timers: Set<NodeJS.Timeout>,
  sockets: Set<Socket>,
  hits: () => number,
): Promise<HostileReceiver> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    hits,
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Waits until the request head (up to the blank line) is in, then hands the socket to `behaviour`. */
async function rawReceiver(behaviour: SocketBehaviour): Promise<HostileReceiver> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let hits = 0;
  const server: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.on('data', () => {}); // keep reading the body so the sender never blocks on it
      hits++;
      behaviour(socket, timers);
    };
    socket.on('data', onData);
  });
  return listenBounded(server, timers, sockets, () => hits);
}

/** An HTTP receiver (node:http) with a handler, tracking its sockets for a prompt close. */
async function httpReceiver(
  handler: (req: IncomingMessage, res: ServerResponse, timers: Set<NodeJS.Timeout>) => void,
): Promise<HostileReceiver> {
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let hits = 0;
  const server = createHttpServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => handler(req, res, timers));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return listenBounded(server, timers, sockets, () => hits);
}

/** Reads the request and never answers: only the sender's timeout ends the attempt. */
export const neverAnswers = () => rawReceiver(() => {});

/** Reads the request head, then resets the TCP connection (RST, not a clean FIN). */
export const resetsConnection = () => rawReceiver((socket) => socket.resetAndDestroy());

export interface SlowlorisOptions {
  /** one byte per this many ms (default 50) */
  everyMs?: number;
  /** give up on a connection after this long (default 30 s) */
  maxMs?: number;
  /** send the status line and headers at once and dribble only the body */
  headersAtOnce?: boolean;
}

/**
 * Answers one byte every `everyMs`: a valid, never-ending response (a body that claims 1 MB) that defeats
 * per-chunk inactivity timeouts; only a total deadline ends it. Bounded to `maxMs` per connection.
 */
export const slowloris = ({ everyMs = 50, maxMs = 30_000, headersAtOnce = false }: SlowlorisOptions = {}) =>
  rawReceiver((socket, timers) => {
    const head = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 1000000\r\n\r\n';
    const text = `${head}${'z'.repeat(100_000)}`;
    let i = 0;
    if (headersAtOnce) {
      socket.write(head);
      i = head.length;
    }
    const started = Date.now();
    const drip = () => {
      if (socket.destroyed || i >= text.length || Date.now() - started > maxMs) return socket.destroy();
      socket.write(text[i++] as string);
      const t = setTimeout(drip, everyMs);
      timers.add(t);
    };
    drip();
  });

/** A 200 with a `sizeBytes` body streamed from one reused 64 KiB chunk, honouring backpressure (never allocated whole). */
export const hugeBody = (sizeBytes = 100 * 1024 * 1024) =>
  httpReceiver((_req, res) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(sizeBytes) });
    let sent = 0;
    const pump = () => {
      while (sent < sizeBytes && !res.destroyed) {
        const n = Math.min(chunk.length, sizeBytes - sent);
        sent += n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('error', () => {});
    pump();
  });

/** Answers with bytes that are not HTTP at all, then closes. */
export const invalidHttp = () =>
  rawReceiver((socket) => {
    socket.end('HELLO THIS IS NOT HTTP\r\n\u0000\u0001\u0002garbage\r\n\r\n');
  });

/** Redirects to itself forever (302 + Location of the same URL): a sender must not follow. */
export const redirectLoop = () =>
  httpReceiver((req, res) => {
    res.writeHead(302, { location: `http://${req.headers.host}${req.url ?? '/'}`, 'content-length': '0' });
    res.end();
  });

/** Sends the head and part of the body it announced, then closes the connection. */
export const closesMidBody = () =>
  rawReceiver((socket) => {
    // end(), not destroy(): the partial body must reach the sender before the FIN.
    socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"partial":');
  });

/** A well-behaved receiver answering 200 at once; counts requests. */
export const healthy = () =>
  httpReceiver((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
