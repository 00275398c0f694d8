import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';

/** What a refused request is answered: as the service answers when it is unavailable. */
export interface RefusalAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** S3's answer when it cannot take a request. */
export const s3Unavailable: RefusalAnswer = {
  status: 503,
  headers: { 'content-type': 'application/xml' },
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>Invented outage for a test</Message></Error>',
};

/** SES v2's answer when it cannot take a request. */
export const sesUnavailable: RefusalAnswer = {
  status: 503,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceUnavailableException' },
  body: JSON.stringify({ message: 'Invented outage for a test' }),
};

type Matcher = (request: IncomingMessage) => boolean;

interface Fault {
  kind: 'refuse' | 'hold';
  matches: Matcher;
  /** How many more matching requests it takes; Infinity until cleared. */
  remaining: number;
  answer?: RefusalAnswer;
}

/** A write to S3: an object put, a form upload, a copy, a delete. */
export const s3Write: Matcher = (request) => request.method !== 'GET' && request.method !== 'HEAD';
/** An email sent through SES v2. */
export const sesSend: Matcher = (request) =>
  request.method === 'POST' && (request.url ?? '').startsWith('/v2/email/outbound-emails');

/**
 * A loopback HTTP proxy in front of an emulator that, while a fault is on, refuses matching
 * requests (answering as the service does when unavailable) or holds them open without ever
 * answering (a service that hangs). Everything else passes through unchanged, Host header
 * included, so signed requests still verify.
 */
export class FaultProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #held = new Set<ServerResponse>();
  #fault: Fault | undefined;
  #target: URL | undefined;
  /** Requests refused and held since the proxy started. */
  refused = 0;
  held = 0;
  readonly url: string;

  private constructor(server: Server, url: string) {
    this.#server = server;
    this.url = url;
  }

  static async start(target?: string): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = createServer((request, response) => proxy?.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    proxy = new FaultProxy(server, `http://127.0.0.1:${port}`);
    const started = proxy;
    server.on('connection', (socket) => {
      started.#sockets.add(socket);
      socket.on('close', () => started.#sockets.delete(socket));
    });
    if (target) proxy.setTarget(target);
    return proxy;
  }

  setTarget(target: string): void {
    this.#target = new URL(target);
  }

  /** Refuses the next `count` matching requests (every one until `clear`, by default). */
  refuse(matches: Matcher, answer: RefusalAnswer, count = Number.POSITIVE_INFINITY): void {
    this.#fault = { kind: 'refuse', matches, remaining: count, answer };
  }

  /** Holds the next `count` matching requests open, never answering them. */
  hold(matches: Matcher, count = 1): void {
    this.#fault = { kind: 'hold', matches, remaining: count };
  }

  /** Ends the fault; requests still held stay held until `dropHeld`. */
  clear(): void {
    this.#fault = undefined;
  }

  /** How many held requests are still open (their caller has not given up). */
  heldOpen(): number {
    return this.#held.size;
  }

  /** Closes the connections of every held request without an answer. */
  dropHeld(): void {
    for (const response of this.#held) response.socket?.destroy();
    this.#held.clear();
  }

  handle(request: IncomingMessage, response: ServerResponse): void {
    const fault = this.#fault;
    if (fault && fault.remaining > 0 && fault.matches(request)) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.#fault = undefined;
      if (fault.kind === 'hold') {
        this.held += 1;
        this.#held.add(response);
        response.on('close', () => this.#held.delete(response));
        request.resume();
        return;
      }
      this.refused += 1;
      const answer = fault.answer as RefusalAnswer;
      request.resume();
      request.on('end', () => response.writeHead(answer.status, answer.headers).end(answer.body));
      return;
    }
    const target = this.#target;
    if (!target) {
      response.writeHead(502).end('No target yet');
      return;
    }
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => response.socket?.destroy());
    response.on('close', () => forwarded.destroy());
    request.pipe(forwarded);
  }

  async stop(): Promise<void> {
    this.clear();
    this.dropHeld();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
