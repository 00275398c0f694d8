/**
 * `npm run bench:papers` measures in a child process bundled as a function is, against s3rver:
 * this keeps that path working on a tiny scenario (the benchmark itself is not part of npm test).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BenchRig,
  type BenchScenario,
  measureInChild,
  openBench,
  resultsTable,
  writeFixtures,
} from '../../scripts/bench-papers.ts';

describe('npm run bench:papers, its child process', () => {
  let work: string;
  let bench: BenchRig;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'bench-papers-it-'));
    bench = await openBench(work);
  }, 60_000);
  afterAll(async () => {
    await bench?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('collates from S3 into S3 in a bundled child, reports its peak RSS, and tabulates it', async () => {
    const scenario: BenchScenario = { name: 'tiny-child', agencies: 2, pagesPerReturn: 1, kind: 'typed' };
    const files = await writeFixtures(scenario, work);

    const result = await measureInChild(bench, scenario, files, work);

    expect(result.merged).toBe(2);
    expect(result.outputPages).toBe(result.reportPages + 2 * 1);
    const kept = await readFile(join(work, 'tiny-child.pdf'));
    expect(kept.byteLength).toBe(result.outputBytes);
    expect((await PDFDocument.load(kept)).getPageCount()).toBe(result.outputPages);
    // The report is read back for --keep, then removed from the bucket.
    await expect(bench.store.getBytes('reports/tiny-child.pdf')).rejects.toMatchObject({ name: 'NoSuchKey' });
    expect(result.peakRssBytes).toBeGreaterThan(result.rssAtStartBytes);
    expect(result.peakRssBytes).toBeLessThan(1024 * 1024 * 1024);
    const table = resultsTable([result]).split('\n');
    expect(table[0]).toMatch(/^scenario +agencies +pages\/return +input +output .* peak RSS +within goal$/);
    expect(table[2]).toMatch(/^tiny-child +2 +1 .* (yes|no)$/);
  }, 120_000);
});
