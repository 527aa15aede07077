import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSynthArgs, USAGE } from '../app/args';

// The app's command line as users type it: `npm run synth -- --env=prod`, `--help`.

describe('synth flags', () => {
  it('takes a value after the flag or after "="', () => {
    expect(parseSynthArgs(['--env', 'prod', '--platform=signals', '--env=demo'])).toEqual({ envs: ['prod', 'demo'], platforms: ['signals'] });
    expect(parseSynthArgs([])).toEqual({ envs: [], platforms: [] });
  });

  it('refuses an unknown argument and a flag without its name', () => {
    expect(parseSynthArgs(['--envs=prod'])).toEqual({ problem: 'unknown argument "--envs=prod"' });
    expect(parseSynthArgs(['prod'])).toEqual({ problem: 'unknown argument "prod"' });
    for (const argv of [['--env'], ['--env='], ['--env', '--platform', 'x']]) {
      expect(parseSynthArgs(argv), argv.join(' ')).toEqual({ problem: '--env needs a name, as "--env NAME" or "--env=NAME"' });
    }
  });
});

describe('--help', () => {
  it('prints the usage on stdout, naming the commands as users call them, and exits 0', () => {
    const run = spawnSync(process.execPath, ['scripts/app.js', '--help'], { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${USAGE}\n`);
    expect(run.stdout).toContain('npm run synth -- [--env NAME]...');
    expect(run.stdout).toContain('npx cdk8s synth');
    expect(run.stdout).not.toMatch(/main\.ts/);
  }, 30_000);
});
