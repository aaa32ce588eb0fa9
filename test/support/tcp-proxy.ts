// A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL in tests), whose link can be cut and restored: an
// outage as a process sees it (every open connection reset, new ones refused) while the server itself runs on.

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** the port to connect to instead of the target's */
  readonly port: number;
  /** resets every open connection and refuses new ones until restore() */
  cut(): Promise<void>;
  /** listens again on the same port */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const open = (): Server =>
    createServer((client) => {
      track(client);
      const upstream = connect(targetPort, '127.0.0.1');
      track(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  const listen = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  let server: Server | null = open();
  const port = await listen(server, 0);
  const cut = async () => {
    const s = server;
    server = null;
    for (const socket of sockets) socket.resetAndDestroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    port,
    cut,
    async restore() {
      if (server) return;
      server = open();
      await listen(server, port);
    },
    close: cut,
  };
}
