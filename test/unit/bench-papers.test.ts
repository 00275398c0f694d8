import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BenchScenario,
  GOAL,
  resultsTable,
  runScenario,
  type ScenarioResult,
  scannedReturnPdf,
  typedReturnPdf,
  writeFixtures,
} from '../../scripts/bench-papers.ts';
import { agencyUploadRules } from '../../shared/agency-links.ts';
import { MemorySink } from '../../shared/documents/incremental-pdf-writer.ts';

/** `npm run bench:papers` is not part of `npm test`; these keep its code working, in a second or two. */
describe('npm run bench:papers, on tiny scenarios', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'bench-papers-test-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('makes returns with the pages asked for, the same bytes every time', async () => {
    const typed = await typedReturnPdf('Example Agency (invented)', 3, 7);
    const scanned = await scannedReturnPdf('Example Agency (invented)', 2, 7, 20);

    expect((await PDFDocument.load(typed)).getPageCount()).toBe(3);
    expect((await PDFDocument.load(scanned)).getPageCount()).toBe(2);
    expect(Buffer.from(await typedReturnPdf('Example Agency (invented)', 3, 7)).equals(typed)).toBe(true);
    expect(Buffer.from(await scannedReturnPdf('Example Agency (invented)', 2, 7, 20)).equals(scanned)).toBe(
      true,
    );
  });

  it('makes a 150 dpi scanned page of most of a megabyte, so ten come close to the upload limit', async () => {
    const page = await scannedReturnPdf('Example Agency (invented)', 1, 1, 150);

    expect(page.byteLength).toBeGreaterThan(0.6 * 1024 * 1024);
    expect(page.byteLength).toBeLessThan(agencyUploadRules.maxBytes / 10);
  });

  it.each([
    { name: 'tiny-typed', agencies: 3, pagesPerReturn: 2, kind: 'typed' },
    { name: 'tiny-scanned', agencies: 3, pagesPerReturn: 2, kind: 'scanned', dpi: 20, distinctReturns: 2 },
  ] satisfies BenchScenario[])(
    '$name: appends every return in full, each after its agency section',
    async (scenario) => {
      const files = await writeFixtures(scenario, work);

      const sink = new MemorySink();
      const output = {
        write: (bytes: Uint8Array) => sink.write(bytes),
        close: async () => sink.bytes().byteLength,
      };

      const result = await runScenario(scenario, (index) => readFile(files[index]!), output);

      expect(files).toHaveLength(3);
      expect(result.merged).toBe(3);
      expect(result.notMerged).toBe(0);
      // Cover, contents, the two notifications, an agency section each (2 pages or more with a
      // typical structured return), the Word files; then each return's own 2 pages.
      expect(result.reportPages).toBeGreaterThanOrEqual(5 + 3 * 2);
      expect(result.outputPages).toBe(result.reportPages + 3 * 2);
      const written = sink.bytes();
      expect((await PDFDocument.load(written)).getPageCount()).toBe(result.outputPages);
      expect(written.byteLength).toBe(result.outputBytes);
      const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
      expect(result.returnBytes).toBe(sizes.reduce((total, size) => total + size, 0));
    },
  );

  it('says yes or no against the goal only up to 20 agencies, "-" past it', () => {
    const result = (agencies: number, wallMs: number): ScenarioResult => ({
      scenario: { name: `typed-${agencies}`, agencies, pagesPerReturn: 10, kind: 'typed' },
      returnBytes: 1024 * 1024,
      outputBytes: 1024 * 1024,
      outputPages: 10 * agencies,
      reportPages: 2,
      merged: agencies,
      notMerged: 0,
      wallMs,
      rssAtStartBytes: 64 * 1024 * 1024,
      peakRssBytes: 128 * 1024 * 1024,
    });

    const table = resultsTable([
      result(20, 100),
      result(20, GOAL.wallMs + 1),
      result(30, 100),
      result(50, GOAL.wallMs + 1),
    ]).split('\n');

    expect(table[2]).toMatch(/^typed-20 +20 .* yes$/);
    expect(table[3]).toMatch(/^typed-20 +20 .* no$/);
    expect(table[4]).toMatch(/^typed-30 +30 .* -$/);
    expect(table[5]).toMatch(/^typed-50 +50 .* -$/);
  });
});
