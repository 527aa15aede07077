import { accessSync, constants, statfsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Scratch folders (copies of the project, rendered dist/ folders, packed tarballs) go to tmpfs
// where the machine has one with room to spare: creating a file on these machines' disks costs
// up to about 1 ms, on tmpfs a few microseconds, and the tests check behaviour, not disks.
// Child processes inherit TMPDIR.
function tmpfs(): string | undefined {
  try {
    accessSync('/dev/shm', constants.W_OK);
    const { bavail, bsize } = statfsSync('/dev/shm');
    return bavail * bsize >= 256 * 2 ** 20 ? '/dev/shm' : undefined; // the tests hold a few MB there at once
  } catch {
    return undefined;
  }
}
const scratch = process.env.TMPDIR ?? tmpfs();

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    // Two workers even on two cores: about a third of the suite waits on child processes (the CLI,
    // the runner, the real servers), so the second core is free while they run. Measured here:
    // 38 s with vitest's default of one worker on 2 cores, 21–22 s with two, 24 s with three.
    maxWorkers: 2,
    isolate: false, // test files share the loaded modules (cdk8s-plus-27 and the validators load once per worker)
    testTimeout: 30_000,
    env: scratch ? { TMPDIR: scratch } : {},
  },
});
