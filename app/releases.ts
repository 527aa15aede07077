/**
 * The commands that change a release file (`overlays/releases/<env>.json`) and re-render dist/:
 *
 *   npm run release -- <platform> <service> <image@sha256:digest>   a new build into dev
 *   npm run promote -- <platform> <from-env> <to-env>               an env's images of a platform into the next env
 *   npm run pin -- <env>                                            every tag of an env's release by its digest (app/pin.ts)
 *
 * Either the release file (with the digest waivers it leaves unused) and dist/ change together,
 * or none of them does.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Environment } from '../src/environment';
import { parseImage } from '../src/image';
import { diffFiles, formatDiff } from './diff';
import { deleteWaivers, overlayImages, releaseImages, waiversLeftUnused } from './waivers';

/** What the commands need from the app around them. */
export interface ReleaseIo {
  /** Folder of the release files. */
  readonly releases: string;
  /** Every file under dist/, by path. */
  readonly readDist: () => Map<string, string>;
  /** Prints a problem and returns the exit code. */
  readonly fail: (message: string, code?: number) => number;
  /** Every env's overlay, as this process loaded it: its digest waivers and the images it sets. */
  readonly overlays: Readonly<Record<string, { readonly env: Environment }>>;
  /** The source file of an env's overlay. */
  readonly overlayFile: (env: string) => string;
}

/** A file a command rewrites: what it held, and what it will hold. */
export interface FileChange {
  readonly file: string;
  readonly before: string;
  readonly after: string;
}

/** The env a new build enters: `release` writes here, `promote` carries it forward. */
export const BUILD_ENV = 'dev';

/** `release <platform> <service> <image@sha256:…>`: the digest of a new build into dev's release. */
export function release(argv: readonly string[], io: ReleaseIo): number {
  const [platform, service, image] = argv;
  if (argv.length !== 3) return io.fail(`release takes <platform> <service> <image@sha256:digest>\nusage: npm run release -- peripheral backend ghcr.io/peripheral/peripheral-backend@sha256:<64 hex>`, 2);
  const file = path.join(io.releases, `${BUILD_ENV}.json`);
  const text = fs.readFileSync(file, 'utf8');
  const current = JSON.parse(text);
  if (!(platform in current)) return io.fail(`unknown platform "${platform}"; ${rel(file)} holds: ${Object.keys(current).join(', ')}`);
  if (!(service in current[platform])) return io.fail(`${BUILD_ENV}/${platform}: unknown service "${service}"; ${rel(file)} holds: ${Object.keys(current[platform]).join(', ')}`);
  const parts = parseImage(image);
  if (!parts?.digest) return io.fail(`${BUILD_ENV}/${platform}/${service}: image: "${image}" names no digest; give the reference the build pushed, <repository>@sha256:<64 hex> (a tag may stay before the @)`);
  const was = parseImage(current[platform][service]);
  if (was && was.repository !== parts.repository) {
    return io.fail(`${BUILD_ENV}/${platform}/${service}: image: "${image}" is from ${parts.repository}, and the service runs ${was.repository}; to move it to another repository, edit ${rel(file)}`);
  }
  const next = { ...current, [platform]: { ...current[platform], [service]: image } };
  const changes = withWaivers(BUILD_ENV, { file, before: text, after: `${JSON.stringify(next, null, 2)}\n` }, next, io);
  if ('problem' in changes) return io.fail(changes.problem);
  return rewrite(changes, { doing: `releasing ${image} as ${BUILD_ENV}/${platform}/${service}`, done: `released ${image} as ${BUILD_ENV}/${platform}/${service}` }, io);
}

/** `promote <platform> <from> <to>`: exactly what `from` runs of a platform, into `to`'s release. */
export function promote(argv: readonly string[], io: ReleaseIo): number {
  const [platform, from, to] = argv;
  if (!platform || !from || !to || argv.length !== 3) return io.fail('promote takes <platform> <from-env> <to-env>', 2);
  const file = (env: string) => path.join(io.releases, `${env}.json`);
  for (const env of [from, to]) if (!fs.existsSync(file(env))) return io.fail(`unknown env "${env}": there is no ${rel(file(env))}`);
  const source = JSON.parse(fs.readFileSync(file(from), 'utf8'));
  const targetText = fs.readFileSync(file(to), 'utf8');
  const target = JSON.parse(targetText);
  if (!(platform in source)) return io.fail(`unknown platform "${platform}"; the releases hold: ${Object.keys(source).join(', ')}`);
  target[platform] = source[platform];
  const changes = withWaivers(to, { file: file(to), before: targetText, after: `${JSON.stringify(target, null, 2)}\n` }, target, io);
  if ('problem' in changes) return io.fail(changes.problem);
  return rewrite(changes, { doing: `promoting ${platform} from ${from} to ${to}`, done: `promoted ${platform} from ${from} to ${to}` }, io);
}

/**
 * The release file's change, and the env overlay's without the digest waivers that the new
 * release leaves unused (synth refuses a waiver that waives nothing).
 */
export function withWaivers(env: string, release: FileChange, next: Record<string, Record<string, string>>, io: ReleaseIo): FileChange[] | { readonly problem: string } {
  const overlay = io.overlays[env];
  const unused = waiversLeftUnused(overlay?.env.imageDigestWaivers, [...releaseImages(next), ...overlayImages(overlay).map((o) => o.image)]);
  if (unused.length === 0) return [release];
  const file = io.overlayFile(env);
  const before = fs.readFileSync(file, 'utf8');
  const edited = deleteWaivers(before, unused);
  if ('problems' in edited) return { problem: `${env}: ${rel(file)}: the new release leaves digest waivers unused:\n${edited.problems.map((p) => `  ${p}`).join('\n')}` };
  for (const image of unused) process.stdout.write(`${env}: deleting the digest waiver of ${image} from ${rel(file)}: the release no longer runs it by tag\n`);
  process.stdout.write(`${env}: review ${rel(file)}: a constant or comment that only the deleted waivers used stays for you to delete (npm test type-checks it)\n`);
  return [release, { file, before, after: edited.text }];
}

/** Writes the files and re-renders; on any problem puts the files back and leaves dist/ as it was. */
export function rewrite(changes: readonly FileChange[], what: { readonly doing: string; readonly done: string }, io: ReleaseIo): number {
  const dist = io.readDist();
  const files = changes.map((c) => rel(c.file)).join(', ');
  for (const c of changes) fs.writeFileSync(c.file, c.after);
  // Render in a fresh process: this one has the old release compiled in.
  const run = spawnSync(process.execPath, [path.resolve('scripts', 'app.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (run.status !== 0) {
    for (const c of changes) fs.writeFileSync(c.file, c.before);
    return io.fail(`${what.doing} was undone; ${files} and dist/ are as they were.\n${run.stderr}`);
  }
  process.stdout.write(`${what.done}: ${files} and dist/ changed; review, then commit\n`);
  process.stdout.write(formatDiff(diffFiles(dist, io.readDist())));
  return 0;
}

const rel = (file: string) => path.relative('.', file);
