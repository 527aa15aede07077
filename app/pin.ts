/**
 * `npm run pin -- <env> [--registry <registry>=<url>]...`: records the digest of every tag of an
 * env's release file (`overlays/releases/<env>.json`), as its registry names it now, keeping the
 * tag: `redis:7.4.1-alpine` becomes `redis:7.4.1-alpine@sha256:<64 hex>`. Then, as `release` and
 * `promote` do, it deletes the digest waivers this leaves unused and re-renders: the files and
 * dist/ change together or not at all. One tag that does not resolve writes nothing.
 *
 * Images an overlay sets itself (`env.objectStorage.image` and the like) are resolved too, and
 * printed for a person to paste: an overlay is typed code, where one value may be a constant that
 * several fields or envs share, so the command does not rewrite it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileChange, ReleaseIo, rewrite, withWaivers } from './releases';
import { normaliseReference, parseMirrors, resolveDigest } from './registry';
import { overlayImages } from './waivers';

/** What `pin` takes, for the usage. */
export const PIN_USAGE = 'npm run pin -- <env> [--registry <registry>=<url>]...';

/** Reads `<env>` and the repeatable `--registry <registry>=<url>` (also `--registry=…`). */
export function parsePinArgs(argv: readonly string[]): { readonly env: string; readonly registries: string[] } | { readonly problem: string } {
  const envs: string[] = [];
  const registries: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--registry' || arg.startsWith('--registry=')) {
      const value = arg === '--registry' ? argv[++i] : arg.slice('--registry='.length);
      if (!value) return { problem: '--registry needs <registry>=<url>, e.g. --registry docker.io=https://mirror.example.com' };
      registries.push(value);
    } else if (arg.startsWith('-')) return { problem: `unknown argument "${arg}"` };
    else envs.push(arg);
  }
  if (envs.length !== 1) return { problem: `pin takes one env, got ${envs.length === 0 ? 'none' : envs.join(' ')}` };
  return { env: envs[0], registries };
}

/** One reference to look up, and where it is set. */
interface Wanted {
  readonly where: string;
  readonly image: string;
}

/** The command. Resolves at most four tags at a time; a tag used by several services once. */
export async function pin(argv: readonly string[], io: ReleaseIo): Promise<number> {
  const args = parsePinArgs(argv);
  if ('problem' in args) return io.fail(`${args.problem}\nusage: ${PIN_USAGE}`, 2);
  const mirrors = parseMirrors(args.registries);
  if ('problem' in mirrors) return io.fail(`${mirrors.problem}\nusage: ${PIN_USAGE}`, 2);
  const { env } = args;
  const file = path.join(io.releases, `${env}.json`);
  if (!fs.existsSync(file)) return io.fail(`unknown env "${env}": there is no ${path.relative('.', file)}`);
  const text = fs.readFileSync(file, 'utf8');
  const release: Record<string, Record<string, string>> = JSON.parse(text);

  const inRelease: Wanted[] = Object.entries(release).flatMap(([platform, services]) =>
    Object.entries(services)
      .filter(([, image]) => !normaliseReference(image)?.digest)
      .map(([service, image]) => ({ where: `${env}/${platform}/${service}`, image })),
  );
  const overlayFile = path.relative('.', io.overlayFile(env));
  const inOverlay: Wanted[] = overlayImages(io.overlays[env])
    .filter((o) => !normaliseReference(o.image)?.digest)
    .map((o) => ({ where: `${env}: ${overlayFile} ${o.path}`, image: o.image }));
  const wanted = [...inRelease, ...inOverlay];
  if (wanted.length === 0) {
    process.stdout.write(`${env}: every image already carries a digest; nothing to pin\n`);
    return 0;
  }

  const digests = new Map<string, Promise<string>>();
  const queue = [...new Set(wanted.map((w) => w.image))];
  const failures = new Map<string, string>();
  const worker = async () => {
    for (let image = queue.shift(); image !== undefined; image = queue.shift()) {
      const ref = normaliseReference(image);
      const lookup = ref ? resolveDigest(ref, { mirrors }) : Promise.reject(new Error('is not an image reference'));
      digests.set(image, lookup);
      await lookup.catch((e: Error) => failures.set(image, e.message));
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  if (failures.size > 0) {
    const lines = wanted.filter((w) => failures.has(w.image)).map((w) => `  ${w.where}: image "${w.image}": ${failures.get(w.image)}`);
    return io.fail(`pin ${env} failed; nothing was written:\n${lines.join('\n')}`);
  }
  const pinned = async (image: string) => `${image}@${await digests.get(image)}`;

  const next: Record<string, Record<string, string>> = {};
  for (const [platform, services] of Object.entries(release)) {
    next[platform] = {};
    for (const [service, image] of Object.entries(services)) next[platform][service] = normaliseReference(image)?.digest ? image : await pinned(image);
  }
  for (const w of inRelease) process.stdout.write(`${w.where}: ${w.image} -> ${await pinned(w.image)}\n`);
  if (inOverlay.length > 0) {
    process.stdout.write(`set in ${overlayFile}, not in the release file: paste these references there (and delete their digest waivers), then synth\n`);
    for (const w of inOverlay) process.stdout.write(`  ${w.where}: '${await pinned(w.image)}'\n`);
  }
  if (inRelease.length === 0) return 0;
  const changes: FileChange[] | { problem: string } = withWaivers(env, { file, before: text, after: `${JSON.stringify(next, null, 2)}\n` }, next, io);
  if ('problem' in changes) return io.fail(changes.problem);
  return rewrite(changes, { doing: `pinning ${env}'s release by digest`, done: `pinned ${env}'s release by digest` }, io);
}
