/**
 * The benchmark's invented inputs (`npm run bench:papers`): agencies' returned PDFs, typed or
 * scanned, and a case whose agencies all returned, each with a structured return of typical
 * length. Seeded: the same bytes every run. No real person or family.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  popGraphicsState,
  pushGraphicsState,
  StandardFonts,
} from 'pdf-lib';
import { sampleNotification } from '../../local/sample-notification.ts';
import { openCase } from '../../shared/cases/open-case.ts';
import type { ReturnVersion } from '../../shared/schemas/agency-return.ts';
import type { AgencyRequest } from '../../shared/schemas/case.ts';

const MiB = 1024 * 1024;
/** The goal holds for reviews of up to `agencies` agencies; scenarios with more show growth. */
export const GOAL = { agencies: 20, wallMs: 5000, peakRssBytes: 128 * MiB };
const A4 = { width: 595.28, height: 841.89 };
const FIXED_DATE = new Date('2026-03-17T16:00:00Z');

/** One run: how many agencies return, how many pages each, and what kind of PDF. */
export interface BenchScenario {
  name: string;
  agencies: number;
  pagesPerReturn: number;
  /** `typed`: text pages as a word processor exports them; `scanned`: each page one greyscale image. */
  kind: 'typed' | 'scanned';
  /** Scanned pages' resolution (A4 at this many dots per inch). */
  dpi?: number;
  /**
   * How many different files the agencies' returns cycle through: each agency's file is still
   * read and merged on its own, this only saves generating many large scans.
   */
  distinctReturns?: number;
}

export const scenarios: readonly BenchScenario[] = [
  { name: 'typed-20', agencies: 20, pagesPerReturn: 10, kind: 'typed' },
  { name: 'typed-50', agencies: 50, pagesPerReturn: 10, kind: 'typed' },
  { name: 'scanned-20', agencies: 20, pagesPerReturn: 10, kind: 'scanned', dpi: 150, distinctReturns: 4 },
  { name: 'scanned-30', agencies: 30, pagesPerReturn: 10, kind: 'scanned', dpi: 150, distinctReturns: 4 },
  { name: 'scanned-50', agencies: 50, pagesPerReturn: 10, kind: 'scanned', dpi: 150, distinctReturns: 4 },
];

/** What one scenario measured. */
export interface ScenarioResult {
  scenario: BenchScenario;
  returnBytes: number;
  outputBytes: number;
  outputPages: number;
  /** The pages the service wrote itself: cover, contents, notification, each agency's section, the Word files. */
  reportPages: number;
  merged: number;
  notMerged: number;
  /** From the start of the collated report to the merged PDF's last byte. */
  wallMs: number;
  rssAtStartBytes: number;
  /** The process's peak resident set size (getrusage ru_maxrss), known only in a child process. */
  peakRssBytes?: number;
}

/** Mulberry32: a small seeded generator, so every run makes the same fixtures. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const WORDS =
  'invented agency record contact visit school health police review family home assessment plan referral strategy meeting information sharing outcome practitioner supervision'.split(
    ' ',
  );

function newFixtureDocument(title: string): Promise<PDFDocument> {
  return PDFDocument.create({ updateMetadata: false }).then((document) => {
    document.setTitle(title);
    document.setCreationDate(FIXED_DATE);
    document.setModificationDate(FIXED_DATE);
    return document;
  });
}

/** A typed summary: `pages` A4 pages of invented sentences, as a word processor's PDF export. */
export async function typedReturnPdf(agencyName: string, pages: number, seed: number): Promise<Uint8Array> {
  const random = seeded(seed);
  const document = await newFixtureDocument(`Agency summary: ${agencyName} (invented)`);
  const font = await document.embedFont(StandardFonts.Helvetica);
  const bold = await document.embedFont(StandardFonts.HelveticaBold);
  for (let index = 1; index <= pages; index++) {
    const page = document.addPage([A4.width, A4.height]);
    page.drawText(`${agencyName}: summary page ${index} of ${pages} (invented, no real person)`, {
      x: 56,
      y: A4.height - 64,
      size: 12,
      font: bold,
    });
    for (let line = 0; line < 48; line++) {
      const words = Array.from({ length: 9 + (random() % 5) }, () => WORDS[random() % WORDS.length]);
      page.drawText(words.join(' '), { x: 56, y: A4.height - 96 - line * 14.5, size: 10.5, font });
    }
  }
  return document.save();
}

/**
 * One scanned page as a Flate-compressed 8-bit greyscale image: grey paper with a few bits of
 * sensor noise per pixel and darker bands where lines of type would be. At 150 dpi a page is
 * about 0.8 MiB, so 10 pages come to about 8 MiB, a little under the 10 MiB upload limit.
 */
function scannedPageImage(width: number, height: number, random: () => number): Uint8Array {
  const pixels = new Uint8Array(width * height);
  const lineHeight = Math.max(4, Math.round(height / 60));
  for (let y = 0; y < height; y++) {
    const inText = y > height * 0.08 && y < height * 0.92 && y % lineHeight < lineHeight * 0.45;
    let bits = 0;
    let left = 0;
    for (let x = 0; x < width; x++) {
      if (left < 3) {
        bits = random();
        left = 32;
      }
      const sample = bits & 7;
      const noise = sample > 5 ? sample - 6 : sample; // 0 to 5, about 2.5 bits a pixel
      bits >>>= 3;
      left -= 3;
      const ink = inText && x > width * 0.1 && x < width * 0.9 && (x >> 3) % 5 !== 0;
      pixels[y * width + x] = (ink ? 70 : 228) + noise;
    }
  }
  return deflateSync(pixels);
}

/** A scanned summary: `pages` A4 pages, each one greyscale image at `dpi`. */
export async function scannedReturnPdf(
  agencyName: string,
  pages: number,
  seed: number,
  dpi = 150,
): Promise<Uint8Array> {
  const random = seeded(seed);
  const document = await newFixtureDocument(`Scanned agency summary: ${agencyName} (invented)`);
  const width = Math.round((210 / 25.4) * dpi);
  const height = Math.round((297 / 25.4) * dpi);
  for (let index = 0; index < pages; index++) {
    const image = document.context.register(
      document.context.stream(scannedPageImage(width, height, random), {
        Type: 'XObject',
        Subtype: 'Image',
        Width: width,
        Height: height,
        ColorSpace: 'DeviceGray',
        BitsPerComponent: 8,
        Filter: 'FlateDecode',
      }),
    );
    const page = document.addPage([A4.width, A4.height]);
    const name = page.node.newXObject('Scan', image);
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(A4.width, 0, 0, A4.height, 0, 0),
      drawObject(name),
      popGraphicsState(),
    );
  }
  return document.save();
}

export function agencyNameFor(index: number): string {
  return `Example Agency ${String(index + 1).padStart(2, '0')} (invented)`;
}

/**
 * Writes the scenario's returns into `directory` and answers each agency's file, in order
 * (agencies share files when the scenario has fewer distinct returns than agencies).
 */
export async function writeFixtures(scenario: BenchScenario, directory: string): Promise<string[]> {
  const distinct = Math.min(scenario.distinctReturns ?? scenario.agencies, scenario.agencies);
  const files: string[] = [];
  for (let index = 0; index < distinct; index++) {
    const file = join(
      directory,
      `${scenario.kind}-${scenario.pagesPerReturn}p-${scenario.dpi ?? 0}dpi-${index + 1}.pdf`,
    );
    files.push(file);
    if (existsSync(file)) continue; // made for an earlier scenario, the same bytes
    const name = agencyNameFor(index);
    const seed = 1000 + index;
    const bytes =
      scenario.kind === 'typed'
        ? await typedReturnPdf(name, scenario.pagesPerReturn, seed)
        : await scannedReturnPdf(name, scenario.pagesPerReturn, seed, scenario.dpi);
    await writeFile(file, bytes);
  }
  return Array.from({ length: scenario.agencies }, (_, index) => files[index % distinct]!);
}

/** Invented prose of about `characters` characters, the same every run for a seed. */
function prose(characters: number, seed: number): string {
  const random = seeded(seed);
  const words: string[] = [];
  let length = 0;
  while (length < characters) {
    const word = WORDS[random() % WORDS.length]!;
    words.push(word);
    length += word.length + 1;
  }
  return `${words.join(' ')} (invented).`;
}

/**
 * A structured return of typical length: a summary of about 2,500 characters, four key practice
 * episodes of about 900 each, immediate actions and early learning of about 600 each.
 */
export function typicalReturn(seed: number, submittedAt: string): ReturnVersion {
  return {
    version: 1,
    submittedAt,
    by: 'agency',
    answers: {
      kind: 'involvement',
      involvedFrom: '2024-09-02',
      involvedTo: '2026-02-27',
      rolesInvolved: 'Case worker; team manager; duty officer (invented roles)',
      summary: prose(2500, seed),
      episodes: Array.from({ length: 4 }, (_, index) => ({
        date: `2025-${String(3 + index * 2).padStart(2, '0')}-1${index}`,
        whatHappened: prose(500, seed * 10 + index),
        decidedAndWhy: prose(400, seed * 20 + index),
      })),
      immediateActions: prose(600, seed * 30),
      earlyLearning: prose(600, seed * 40),
      protectedCharacteristics: prose(150, seed * 50),
    },
  };
}

/** An invented case whose agencies all returned on time, each a structured return and a PDF. */
export function anInventedCase(agencies: number) {
  const notification = sampleNotification({
    agencies: Array.from({ length: agencies }, (_, index) => ({
      name: agencyNameFor(index),
      spoc: {
        name: `Spoc ${String(index + 1).padStart(2, '0')} (invented)`,
        email: `spoc.agency-${index + 1}@example.org`,
      },
    })),
  });
  const caseId = '5e1d0c2a-9b8f-4e7d-a6c5-b4a392817060';
  const opened = openCase({
    caseId,
    notification,
    receivedAt: new Date('2026-03-04T10:00:00Z'),
    notificationDocumentKey: `cases/${caseId}/notification.json`,
  });
  const returned: AgencyRequest[] = opened.agencies.map((agency, index) => {
    const receivedAt = new Date(Date.parse('2026-03-16T09:00:00Z') + index * 60_000).toISOString();
    const documentKey = `cases/${caseId}/agency-returns/upload-${index + 1}/${agency.agencyId}-summary.pdf`;
    return {
      ...agency,
      status: 'received',
      receivedAt,
      documentKey,
      returns: [{ ...typicalReturn(index + 1, receivedAt), documentKey }],
    };
  });
  return { record: opened.record, agencies: returned, notification };
}
