/**
 * Vitest global setup (the `e2e` project): unpacks Chromium once (test/support/chromium.ts) and
 * starts one headless browser server for the whole run. Test files connect to it
 * (`inject('chromiumWsEndpoint')`) and work in contexts of their own; the teardown stops it
 * when the run ends, whether tests failed or not.
 */
import type { TestProject } from 'vitest/node';
import { launchChromiumServer } from '../../support/chromium.ts';
import '../../support/provided-context.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await launchChromiumServer();
  project.provide('chromiumWsEndpoint', server.wsEndpoint());
  return () => server.close();
}
