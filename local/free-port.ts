import { createServer } from 'node:net';

/** Asks the OS for a port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not read the port the OS gave'));
      });
    });
  });
}

/**
 * Reads a value until it is `ready` or the deadline passes; never a blind sleep. A read that
 * throws counts as not ready yet. On timeout the error says what was awaited and, through
 * `describe`, what was last seen.
 */
export async function pollUntil<T>(
  what: string,
  read: () => Promise<T>,
  ready: (value: T) => boolean,
  {
    timeoutMs = 30_000,
    intervalMs = 100,
    describe,
  }: { timeoutMs?: number; intervalMs?: number; describe?: (value: T) => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value: T } | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await read();
      if (ready(value)) return value;
      last = { value };
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const seen =
    last && describe
      ? ` (last seen: ${describe(last.value)})`
      : lastError instanceof Error
        ? `: ${lastError.message}`
        : '';
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
}

/** Polls `check` until it resolves true or the deadline passes; never a blind sleep. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  await pollUntil(what, check, (done) => done, options);
}
