// Why a command could not listen where its flags said, in the flags' words: a port another program holds (exit 1),
// a --host that is not an address of this machine (exit 2). Checked before anything is made (serve's database).
import { createServer } from 'node:net';
import { UsageError } from './flags';

/** A port another program holds, or a --host that is not this machine's, said with its flag; other errors as they are. */
export function listenError(err: unknown, flag: string, host: string, port: number | undefined): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRNOTAVAIL') {
    return new UsageError(
      `--host ${host}: not an address of this machine (127.0.0.1 for this machine only, 0.0.0.0 for all)`,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new UsageError(
      `--host ${host}: no address found for this name (127.0.0.1 for this machine only, 0.0.0.0 for all, or a name of this machine)`,
    );
  }
  if (code !== 'EADDRINUSE') return err;
  return new Error(
    `${flag} ${port}: ${host.includes(':') ? `[${host}]` : host}:${port} is in use by another program: give another ${flag}, or ${flag} 0 for a free one`,
  );
}

/** Fails when `port` cannot be listened on at `host` (0: a free one, which still proves the host is this machine's). */
export async function assertCanListen(flag: string, host: string, port: number | undefined): Promise<void> {
  if (port === undefined) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err) => reject(listenError(err, flag, host, port)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
