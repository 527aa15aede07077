/**
 * The app `cdk8s synth` runs (see cdk8s.yaml): the only code that touches the file system or
 * reads env vars (`DEBUG`, `CDK8S_OUTDIR`); the library in src/ renders in memory.
 *
 *   npx cdk8s synth                              render every env into dist/ (only when all of it is valid)
 *   npm run synth -- --env prod                  write one env (also --env=prod); the other env folders are left alone
 *   npm run synth -- --env prod --platform peripheral   write one platform folder of one env
 *   npm run diff                                 print what a render would change in dist/, per object and field; exit 1 if anything
 *   npm run promote -- peripheral demo prod      copy demo's images of a platform into prod's release, render, print the change
 *   npm run release -- peripheral backend <image@sha256:…>   a new build's digest into dev's release, render, print the change
 *   npm run pin -- prod                          every tag of prod's release by the digest its registry names now (app/pin.ts)
 *
 *   npm run synth -- --help                      the usage (app/args.ts)
 *
 * Paths are relative to the working directory: the project root, where cdk8s and npm run it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { platforms } from '../charts';
import { inputs, overlays } from '../overlays';
import { unusedDigestWaivers } from '../src/policy/engine';
import { InputError } from '../src/problems';
import { render } from '../src/synth/render';
import { parseSynthArgs, USAGE, wantsHelp } from './args';
import { diffFiles, formatDiff } from './diff';
import { droppedFolders, keptDataNotes } from './kept-data';
import { pin } from './pin';
import { promote, release } from './releases';
import { synthesize } from './synthesize';
import { PartialWriteError } from './write';

const DIST = path.resolve('dist');
const RELEASES = path.resolve('overlays', 'releases');
/** `DEBUG=1`: a crash also prints its stack trace. */
const DEBUG = Boolean(process.env.DEBUG);

function synth(argv: readonly string[]): number {
  const started = process.hrtime.bigint();
  const args = parseSynthArgs(argv);
  if ('problem' in args) return usage(args.problem);
  const { envs, platforms: only } = args;
  // Folders of platforms that are gone: the synth removes them, and Argo CD keeps their data.
  const dropped = only.length === 0 ? droppedFolders(DIST, envs.length > 0 ? envs : Object.keys(overlays), platforms.map((p) => p.name)) : [];
  const rendered = synthesize({
    overlays,
    platforms,
    inputs,
    outdir: DIST,
    listingDir: process.env.CDK8S_OUTDIR,
    debug: DEBUG,
    ...(envs.length > 0 ? { envs } : {}),
    ...(only.length > 0 ? { onlyPlatforms: only } : {}),
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const counts = new Map<string, number>();
  const written = (o: { env: string; platform: string }) =>
    (envs.length === 0 || envs.includes(o.env)) && (only.length === 0 || only.includes(o.platform) || (o.platform === 'argocd' && only.length === 0));
  for (const o of rendered.objects.filter(written)) counts.set(`${o.env}/${o.platform}`, (counts.get(`${o.env}/${o.platform}`) ?? 0) + 1);
  const lines = [...counts].map(([k, n]) => `  dist/${k}: ${n} objects`);
  const waivers = rendered.waivers.map((w) => `  ${w.env}/${w.platform} ${w.object}: ${w.rule} waived: ${w.reason}`);
  process.stderr.write(`rendered and checked ${rendered.objects.length} objects of every env in ${ms.toFixed(0)} ms; wrote:\n${lines.join('\n')}\n`);
  if (waivers.length > 0) process.stderr.write(`policy waivers in force:\n${waivers.join('\n')}\n`);
  const kept = keptDataNotes(dropped);
  if (kept.length > 0) process.stderr.write(`data left in the cluster:\n${kept.map((k) => `  ${k}`).join('\n')}\n`);
  return 0;
}

/** Every file under dist/ (dot folders excluded), by path relative to it. */
function readDist(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(DIST, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(DIST);
  return out;
}

function diff(): number {
  const rendered = render(overlays, platforms, { debug: DEBUG, inputs });
  const unused = unusedDigestWaivers(overlays, rendered.objects);
  if (unused.length > 0) throw new InputError(unused);
  const changes = diffFiles(readDist(), rendered.files);
  process.stdout.write(formatDiff(changes));
  return changes.length > 0 ? 1 : 0;
}

const releaseIo = { releases: RELEASES, readDist, fail, overlays, overlayFile: (env: string) => path.resolve('overlays', `${env}.ts`) };

function usage(problem: string): number {
  return fail(`${problem}\n${USAGE}`, 2);
}

function fail(message: string, code = 1): number {
  process.stderr.write(`${message}\n`);
  return code;
}

function main(argv: readonly string[]): number | Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (argv[0] === 'diff') return diff();
    if (argv[0] === 'promote') return promote(argv.slice(1), releaseIo);
    if (argv[0] === 'release') return release(argv.slice(1), releaseIo);
    if (argv[0] === 'pin') return pin(argv.slice(1), releaseIo).catch((e: Error) => fail(`pin failed; nothing was written.\n${DEBUG ? e.stack : e.message}`));
    return synth(argv);
  } catch (e) {
    // A write that replaced folders and could not put them back says which hold what.
    if (e instanceof PartialWriteError) return fail(DEBUG ? String(e.stack) : e.message);
    const text = e instanceof InputError ? e.message : DEBUG ? String((e as Error).stack) : (e as Error).message;
    return fail(`${argv[0] === 'diff' ? 'diff' : 'synth'} failed; dist/ was left as it was.\n${text}`);
  }
}

const code = main(process.argv.slice(2));
if (typeof code === 'number') process.exitCode = code;
else void code.then((c) => (process.exitCode = c));
