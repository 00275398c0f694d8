import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from './free-port.ts';

/** Whether `port` can be bound on 127.0.0.1 right now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** `preferred` when it is free (so URLs stay the same across restarts), otherwise any free port. */
export async function portToUse(preferred: number | undefined): Promise<number> {
  if (preferred && (await isFree(preferred))) return preferred;
  return freePort();
}

/**
 * The ports one data directory's stack used last time. Reusing them keeps links already
 * emailed (which carry the API's URL) working after a restart.
 */
export function readRememberedPorts(file: string): Record<string, number> {
  if (!existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, number] => Number.isInteger(entry[1])),
    );
  } catch {
    return {};
  }
}

export function rememberPorts(file: string, ports: Record<string, number>): void {
  writeFileSync(file, `${JSON.stringify(ports, null, 2)}\n`);
}
