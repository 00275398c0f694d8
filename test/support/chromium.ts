/**
 * Which headless Chromium the browser tests drive, and with which flags. By default the one in
 * the `@sparticuz/chromium` devDependency (nothing to install on the machine); the variable
 * CHROMIUM_EXECUTABLE chooses another one already installed (say `/usr/bin/chromium`).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type BrowserServer, chromium } from 'playwright-core';

/** The variable that names a Chromium executable to use instead of `@sparticuz/chromium`'s. */
export const chromiumExecutableVariable = 'CHROMIUM_EXECUTABLE';

/**
 * Flags for a closed network and a root user: without the background-networking ones Chromium
 * keeps trying to reach Google's hosts and has its connections refused. `@sparticuz/chromium`'s
 * own `args` are deliberately not used: they include `--disable-web-security` (no CORS, no
 * same-origin policy) and `--single-process`, which would hide exactly the faults these tests
 * look for; its build (a headless shell) starts with these alone.
 */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
] as const;

const require = createRequire(import.meta.url);

/** The installed `@sparticuz/chromium`: its version and its entry module. */
function sparticuzPackage(): { version: string; entry: string } {
  const entry = require.resolve('@sparticuz/chromium');
  const packageJson = join(dirname(entry), '..', 'package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  return { version, entry };
}

/**
 * The Chromium to drive: CHROMIUM_EXECUTABLE when set (it must be an executable file), otherwise
 * `@sparticuz/chromium`'s, unpacked once per version (see `unpackSparticuzChromium`).
 */
export async function chromiumExecutable(environment = process.env): Promise<string> {
  const chosen = environment[chromiumExecutableVariable];
  if (chosen) {
    try {
      accessSync(chosen, constants.X_OK);
    } catch {
      throw new Error(`${chromiumExecutableVariable}=${chosen}: no executable file there`);
    }
    return chosen;
  }
  return unpackSparticuzChromium();
}

/** Unpacks the browser into `staging` (an empty folder) and answers the executable's path there. */
export type ChromiumUnpacker = (staging: string) => Promise<string>;

/**
 * `@sparticuz/chromium`'s own `executablePath()`, run in a child process whose temporary folder
 * is `staging`: the package unpacks into the temporary folder (`/tmp/chromium`, its fonts and
 * SwiftShader beside it).
 */
const unpackWithThePackage: ChromiumUnpacker = async (staging) => {
  const script = `const { default: chromium } = await import(${JSON.stringify(pathToFileURL(sparticuzPackage().entry).href)});
process.stdout.write(await chromium.executablePath());`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script], {
    env: { ...process.env, TMPDIR: staging },
    timeout: 120_000,
  });
  return stdout;
};

/**
 * Unpacks `@sparticuz/chromium` (about 210 MB: the browser, its fonts and SwiftShader) into
 * `<tmp>/sparticuz-chromium-<version>/` and answers the browser's path; a later call, from this
 * or any other process, finds it there. The package's own `executablePath()` unpacks into the
 * temporary folder itself and answers early whenever `/tmp/chromium` exists, so two processes
 * unpacking at once can start a half-written binary, and another version's leftover is taken
 * for its own. Here each unpacks into a fresh folder of its own, renamed into place whole: a
 * folder under the final name is always complete, and the first to finish wins.
 */
export async function unpackSparticuzChromium(
  unpack: ChromiumUnpacker = unpackWithThePackage,
): Promise<string> {
  const { version } = sparticuzPackage();
  const folder = join(tmpdir(), `sparticuz-chromium-${version}`);
  const executable = join(folder, 'chromium');
  if (existsSync(executable)) return executable;

  const staging = mkdtempSync(join(tmpdir(), `sparticuz-chromium-${version}-unpacking-`));
  try {
    const unpacked = await unpack(staging);
    if (unpacked !== join(staging, 'chromium')) {
      throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, not into ${staging}`);
    }
    try {
      renameSync(staging, folder);
    } catch (error) {
      // Another process put a complete copy there first: use it.
      if (!existsSync(executable)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return executable;
}

/**
 * Starts one headless Chromium that test files connect to (`chromium.connect(wsEndpoint)`),
 * each with contexts of its own. Listens on 127.0.0.1; `close()` stops it.
 */
export async function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer({
    executablePath: await chromiumExecutable(),
    args: [...chromiumArgs],
    headless: true,
    host: '127.0.0.1',
  });
}
