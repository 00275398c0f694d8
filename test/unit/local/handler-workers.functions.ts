/**
 * Stand-ins for the catalogue's handlers in the handler pool's tests (handler-workers.test.ts):
 * each worker imports this module in place of local/handlers.ts. Node runs it in the worker as
 * it is, so it keeps to erasable TypeScript.
 */
import { BroadcastChannel, threadId } from 'node:worker_threads';

/** What `hold` says on its channel once it is running, before it waits to be let go. */
export const holding = 'holding';

/** Runs the stand-in function `name` in this worker thread. */
export async function runHandler(name: string, payload: unknown): Promise<unknown> {
  switch (name) {
    case 'echo':
      return { payload, threadId };
    case 'fail': {
      const error = new Error('The case does not exist');
      error.name = 'CaseNotFound';
      throw error;
    }
    case 'never':
      return new Promise(() => {});
    case 'crash':
      // Thrown outside the invocation, as a handler's stray callback might: it ends the thread.
      setImmediate(() => {
        throw new Error('a stray callback threw');
      });
      return new Promise(() => {});
    case 'hold':
      return hold(String(payload));
    case 'log-a':
    case 'log-b':
      return logTwice(name, String(payload));
    default:
      throw new Error(`No test function ${name}`);
  }
}

/**
 * Keeps `payload` in the invocation's store (as Powertools keeps an invocation's log keys), writes
 * a JSON line, waits a moment while other invocations run, writes a plain line, and answers
 * what the store holds then.
 */
async function logTwice(name: string, payload: string): Promise<unknown> {
  const store = (
    globalThis as {
      awslambda?: { InvokeStore?: { set(k: string, v: unknown): void; get(k: string): unknown } };
    }
  ).awslambda?.InvokeStore;
  store?.set('invented-key', payload);
  console.log(JSON.stringify({ level: 'INFO', message: `first line of ${name}`, payload }));
  await new Promise((resolve) => setTimeout(resolve, 20));
  process.stderr.write(`a plain line of ${name}\n`);
  return store?.get('invented-key');
}

/** Says `holding` on the broadcast channel `channelName`, then answers once the test says anything back. */
function hold(channelName: string): Promise<unknown> {
  const channel = new BroadcastChannel(channelName);
  return new Promise((resolve) => {
    channel.onmessage = () => {
      channel.close();
      resolve({ threadId });
    };
    channel.postMessage(holding);
  });
}
