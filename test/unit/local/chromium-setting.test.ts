import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChromiumUnpacker,
  chromiumExecutable,
  chromiumExecutableVariable,
  unpackSparticuzChromium,
} from '../../support/chromium.ts';

describe('which Chromium the browser tests drive', () => {
  it('is the one CHROMIUM_EXECUTABLE names, when it names an executable file', async () => {
    const chosen = await chromiumExecutable({ [chromiumExecutableVariable]: '/bin/sh' });

    expect(chosen).toBe('/bin/sh');
  });

  it('fails naming the setting when CHROMIUM_EXECUTABLE names no executable', async () => {
    const chosen = chromiumExecutable({ [chromiumExecutableVariable]: '/nowhere/chromium' });

    await expect(chosen).rejects.toThrow('CHROMIUM_EXECUTABLE=/nowhere/chromium: no executable file there');
  });
});

describe("unpacking @sparticuz/chromium's browser", () => {
  const previousTmpdir = process.env.TMPDIR;
  let folder: string;
  let unpacks: string[];
  /** Writes the binary in two halves with a turn of the event loop between, as a slow unpack would. */
  const slowUnpack: ChromiumUnpacker = async (staging) => {
    unpacks.push(staging);
    const binary = join(staging, 'chromium');
    writeFileSync(binary, 'first half;');
    await new Promise((resolve) => setImmediate(resolve));
    writeFileSync(binary, 'first half; second half', { flag: 'w' });
    return binary;
  };

  beforeEach(() => {
    // An empty temporary folder, as on a fresh machine.
    folder = mkdtempSync(join(tmpdir(), 'chromium-unpack-test-'));
    process.env.TMPDIR = folder;
    unpacks = [];
  });
  afterEach(() => {
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
    rmSync(folder, { recursive: true, force: true });
  });

  it('gives two unpacking at the same time the same whole binary, in a folder named by version, leaving nothing half-done', async () => {
    // Act
    const [first, second] = await Promise.all([
      unpackSparticuzChromium(slowUnpack),
      unpackSparticuzChromium(slowUnpack),
    ]);

    // Assess
    expect(unpacks).toHaveLength(2);
    expect(first).toMatch(new RegExp(`^${folder}/sparticuz-chromium-\\d+\\.\\d+\\.\\d+/chromium$`));
    expect(second).toBe(first);
    expect(readFileSync(first, 'utf8')).toBe('first half; second half');
    expect(readdirSync(folder)).toEqual([first.split('/').at(-2)]);
  });

  it('unpacks nothing when the folder of that version is already there', async () => {
    const unpacked = await unpackSparticuzChromium(slowUnpack);

    const again = await unpackSparticuzChromium(slowUnpack);

    expect(again).toBe(unpacked);
    expect(unpacks).toHaveLength(1);
  });

  it('leaves nothing behind when unpacking fails', async () => {
    const failing: ChromiumUnpacker = async (staging) => {
      writeFileSync(join(staging, 'chromium'), 'half');
      throw new Error('No space left on device (invented)');
    };

    const unpacking = unpackSparticuzChromium(failing);

    await expect(unpacking).rejects.toThrow('No space left on device (invented)');
    expect(readdirSync(folder)).toEqual([]);
    expect(existsSync(join(folder, 'chromium'))).toBe(false);
  });
});
