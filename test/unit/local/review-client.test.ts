import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProblem, ReviewClient } from '../../../local/demo/review-client.ts';

describe("the review client's settle", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  /** A stand-in for the local stack's API that answers POST /local/settle with `status`. */
  async function apiAnswering(
    status: number,
    body: unknown,
  ): Promise<{ client: ReviewClient; asked: string[] }> {
    const asked: string[] = [];
    server = createServer((request, response) => {
      asked.push(`${request.method} ${request.url}`);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { client: new ReviewClient({ apiUrl: url, sesUrl: url }), asked };
  }

  it('posts to /local/settle and answers the clock once the workflow has settled', async () => {
    const clock = { now: '2026-03-04T10:00:00.000Z', pending: [] };
    const { client, asked } = await apiAnswering(200, clock);

    await expect(client.settle()).resolves.toEqual(clock);
    expect(asked).toEqual(['POST /local/settle']);
  });

  it('throws an ApiProblem when the stack answers 503 "Still busy"', async () => {
    const { client } = await apiAnswering(503, { title: 'Still busy', status: 503 });

    const settling = client.settle();

    await expect(settling).rejects.toBeInstanceOf(ApiProblem);
    await expect(settling).rejects.toMatchObject({ status: 503, problem: { title: 'Still busy' } });
  });
});
