/**
 * How fast the dashboard and the scrutiny report answer with a partnership's whole history
 * (issue 14 part 4): starts a local stack of its own (DynamoDB Local, in a temporary folder), or
 * uses the running one with `--use-running` (`npm start`, found through .local/stack.json), fills
 * it with invented closed reviews (`--reviews`, 1000 by default, as `npm run seed` does), signs in
 * as the partnership team and the scrutineer through the local sign-in page, and asks each page
 * `--requests` times (20 by default) after two warm-up requests, one at a time. Prints each page's
 * median and 95th percentile in milliseconds, and how many reviews the pages counted.
 *
 *   npm run bench:insight
 *   npm run bench:insight -- --reviews 1000 --requests 30 --use-running
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localCaseStore } from '../local/demo-directory.ts';
import { localLearningStore, seedClosedReviews } from '../local/insight/seed-reviews.ts';
import { startLocalStack } from '../local/stack.ts';
import { halfYearKey, lastCompleteHalfYear } from '../shared/insight/figures.ts';
import { runningStackTable } from './seed.ts';

/** Signs in as the invented user of `role` through the local sign-in page; answers the cookies to send. */
export async function signInLocally(apiUrl: string, role: string): Promise<string> {
  const page = await fetch(`${apiUrl}/sign-in`);
  const csrfCookies = page.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
  const html = await page.text();
  const field = /<input type="hidden" name="([^"]+)" value="([^"]+)">/.exec(html);
  if (!field?.[1] || !field[2]) throw new Error('The local sign-in page has no form token');
  const answer = await fetch(`${apiUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookies.join('; ') },
    body: new URLSearchParams({ [field[1]]: field[2], role, returnTo: '/' }).toString(),
  });
  const session = answer.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
  if (answer.status !== 303 || session.length === 0)
    throw new Error(`Signing in as ${role} answered ${answer.status}`);
  return [...csrfCookies, ...session].join('; ');
}

const percentile = (sorted: readonly number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;

/** Times `requests` GETs of a page, one after another, after two to warm up. */
async function timePage(url: string, cookie: string, requests: number, mustContain: string) {
  const times: number[] = [];
  let last = '';
  for (let index = 0; index < requests + 2; index++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200 || !body.includes(mustContain))
      throw new Error(`${url} answered ${response.status} without "${mustContain}"`);
    if (index >= 2) times.push(elapsed);
    last = body;
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    median: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.at(-1) ?? Number.NaN,
    body: last,
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      reviews: { type: 'string', default: '1000' },
      requests: { type: 'string', default: '20' },
      'use-running': { type: 'boolean', default: false },
    },
  });
  const reviews = Number(values.reviews);
  const requests = Number(values.requests);
  let stop: () => Promise<void> = async () => {};
  let apiUrl: string;
  let endpoint: string;
  let tableName: string;
  let now: Date;
  if (values['use-running']) {
    ({ apiUrl, endpoint, tableName, now } = await runningStackTable());
  } else {
    const dataDirectory = mkdtempSync(join(tmpdir(), 'bench-insight-'));
    console.log('Starting a local stack of its own (DynamoDB Local takes a few seconds)…');
    const stack = await startLocalStack({
      dataDirectory,
      speed: 1,
      start: new Date('2026-12-02T10:00:00Z'),
      quiet: true,
    });
    stop = async () => {
      await stack.stop();
      rmSync(dataDirectory, { recursive: true, force: true });
    };
    ({ apiUrl, dynamodbEndpoint: endpoint, tableName } = stack);
    now = stack.clock.now();
  }
  try {
    const seeding = performance.now();
    const written = await seedClosedReviews(
      localCaseStore(endpoint, tableName),
      localLearningStore(endpoint, tableName),
      {
        count: reviews,
        now,
      },
    );
    console.log(
      `Seeded ${written} invented closed reviews in ${((performance.now() - seeding) / 1000).toFixed(1)} s.`,
    );
    const period = halfYearKey(lastCompleteHalfYear(now));
    const team = await signInLocally(apiUrl, 'partnership-team');
    const scrutineer = await signInLocally(apiUrl, 'scrutineer');
    const dashboard = await timePage(`${apiUrl}/dashboard`, team, requests, 'Timeliness');
    const report = await timePage(
      `${apiUrl}/scrutiny?period=${period}`,
      scrutineer,
      requests,
      'Notifications received',
    );
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    console.log(
      `\n${reviews} closed reviews in the table; ${requests} requests each, one at a time, after 2 to warm up:`,
    );
    console.log(
      `  GET /dashboard                median ${ms(dashboard.median)}, p95 ${ms(dashboard.p95)}, max ${ms(dashboard.max)}`,
    );
    console.log(
      `  GET /scrutiny?period=${period}  median ${ms(report.median)}, p95 ${ms(report.p95)}, max ${ms(report.max)}`,
    );
    const counted = /Notifications received\s*<\/dt>\s*<dd[^>]*>\s*(\d+)/.exec(report.body)?.[1];
    const overdue = /(\d+) actions? overdue/.exec(dashboard.body)?.[1];
    console.log(
      `  (the report counted ${counted ?? 'no'} notifications in ${period}; the dashboard ${overdue ?? 'no'} actions overdue)`,
    );
  } finally {
    await stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
