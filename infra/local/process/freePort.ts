import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now, chosen by the kernel. Another process could take it before
 * the caller binds it; for child services on a test machine that race is rare enough.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
