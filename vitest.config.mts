import { accessSync, constants } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Scratch folders (copies of the project, rendered dist/ folders, packed tarballs) go to tmpfs
// where the machine has one: creating a file on these machines' disks costs about 1 ms, on tmpfs
// a few microseconds, and the tests check behaviour, not disks. Child processes inherit TMPDIR.
function tmpfs(): string | undefined {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return undefined;
  }
}
const scratch = process.env.TMPDIR ?? tmpfs();

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    isolate: false, // test files share the loaded modules (cdk8s-plus-27 and the validators load once per worker)
    testTimeout: 30_000,
    env: scratch ? { TMPDIR: scratch } : {},
  },
});
