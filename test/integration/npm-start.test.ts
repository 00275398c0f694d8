import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start on a machine without Java', () => {
  it('says what to install, in one line, and exits 1 having written nothing', () => {
    // Prepare: a PATH holding only this Node (the project's Node 24), so there is no `java`.
    const folder = mkdtempSync(join(tmpdir(), 'npm-start-without-java-'));
    const bin = join(folder, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    try {
      // Act: what `npm start` runs, from an empty folder (its data would go to ./.local).
      const result = spawnSync(
        join(projectRoot, 'node_modules/.bin/tsx'),
        [join(projectRoot, 'local/start.ts')],
        {
          cwd: folder,
          env: { ...process.env, PATH: bin },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );

      // Assess
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        'npm start: DynamoDB Local needs Java 17, and there is no `java` command on this machine. Install Java 17 (on Debian or Ubuntu: apt-get install openjdk-17-jre-headless) and try again.',
      ]);
      expect(existsSync(join(folder, '.local'))).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
