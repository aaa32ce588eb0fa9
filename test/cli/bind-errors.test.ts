// Why listen and serve could not listen, in their flags' words. A --host name that resolves to nothing is said as
// such (exit 2), not as getaddrinfo's text. The lookup's error is made here: a test sends no DNS query.
import { describe, expect, it } from 'vitest';
import { listenError } from '../../src/main/cli/bind-errors';
import { UsageError } from '../../src/main/cli/flags';

const errno = (code: string) => Object.assign(new Error(`getaddrinfo ${code} nowhere.example`), { code });

describe('listenError', () => {
  it.each(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'])('says a --host name with no address (%s) as bad usage', (code) => {
    const err = listenError(errno(code), '--port', 'nowhere.example', 7777);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(
      '--host nowhere.example: no address found for this name (127.0.0.1 for this machine only, 0.0.0.0 for all, or a name of this machine)',
    );
  });

  it('keeps the address-of-another-machine and port-in-use messages, and other errors as they are', () => {
    expect((listenError(errno('EADDRNOTAVAIL'), '--port', '10.9.9.9', 1) as Error).message).toMatch(
      /^--host 10\.9\.9\.9: not an address of this machine/,
    );
    expect((listenError(errno('EADDRINUSE'), '--inbox-port', '::1', 9) as Error).message).toBe(
      '--inbox-port 9: [::1]:9 is in use by another program: give another --inbox-port, or --inbox-port 0 for a free one',
    );
    const other = errno('EACCES');
    expect(listenError(other, '--port', '127.0.0.1', 80)).toBe(other);
  });
});
