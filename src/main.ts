/**
 * The app `cdk8s synth` runs (see cdk8s.yaml), and the only code that touches the file system:
 * renders every env of every platform in memory, and writes dist/ only when all of it is valid.
 *
 *   npx cdk8s synth                           every env
 *   npm run synth -- --env prod               one env (the other env folders are left alone)
 *
 * Paths are relative to the working directory: the project root, where cdk8s and npm run it.
 */
import * as path from 'node:path';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import { InputError } from './problems';
import { synthesize } from './synth/synthesize';

function main(argv: readonly string[]): number {
  const started = process.hrtime.bigint();
  const envs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--env' && argv[i + 1]) envs.push(argv[++i]);
    else {
      process.stderr.write(`unknown argument "${argv[i]}"; usage: main.ts [--env NAME]...\n`);
      return 2;
    }
  }
  const outdir = path.resolve('dist');
  try {
    const rendered = synthesize({ overlays, platforms, outdir, listingDir: process.env.CDK8S_OUTDIR, ...(envs.length > 0 ? { envs } : {}) });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const counts = new Map<string, number>();
    for (const o of rendered.objects) counts.set(`${o.env}/${o.platform}`, (counts.get(`${o.env}/${o.platform}`) ?? 0) + 1);
    const lines = [...counts].map(([k, n]) => `  dist/${k}: ${n} objects`);
    const waivers = rendered.waivers.map((w) => `  ${w.env}/${w.platform} ${w.object}: ${w.rule} waived: ${w.reason}`);
    process.stderr.write(`rendered ${rendered.objects.length} objects in ${ms.toFixed(0)} ms\n${lines.join('\n')}\n`);
    if (waivers.length > 0) process.stderr.write(`policy waivers in force:\n${waivers.join('\n')}\n`);
    return 0;
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`synth failed; dist/ was left as it was.\n${e.message}\n`);
    } else {
      process.stderr.write(`synth failed; dist/ was left as it was.\n${process.env.DEBUG ? (e as Error).stack : (e as Error).message}\n`);
    }
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
