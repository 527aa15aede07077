import * as fs from 'node:fs';
import * as path from 'node:path';
import { holdSignals } from './signals';

/** Options of {@link writeAtomically}. */
export interface WriteOptions {
  /** The output folder, e.g. `dist`. */
  readonly outdir: string;
  /** Files by path under `outdir`; the first path segment is the env. */
  readonly files: ReadonlyMap<string, string>;
  /** Envs whose folders are replaced (an env with no files is emptied). */
  readonly envs: readonly string[];
  /**
   * Replace only these folders (`<env>/<platform>`) instead of whole envs; the files beside them
   * are then left alone.
   * @default - every folder of `envs`, and the files beside the env folders
   */
  readonly folders?: readonly string[];
  /**
   * A folder that receives hard links of the written files, so the `cdk8s synth` CLI (which
   * wipes and lists its own output folder) can list what was rendered.
   * @default - none
   */
  readonly listingDir?: string;
}

/**
 * A write that failed after it had replaced folders and could not put them back: each folder is
 * still wholly old or wholly new, and the message says which is which.
 */
export class PartialWriteError extends Error {
  constructor(
    /** Folders (and pages) that hold the new render, relative to `outdir`. */
    readonly replaced: readonly string[],
    /** Folders moved aside and not yet back: the next synth puts them back. */
    readonly aside: readonly string[],
    outdir: string,
    cause: Error,
  ) {
    const names = (list: readonly string[]) => list.map((f) => `${path.basename(outdir)}/${f}`).join(', ');
    super(
      [
        `synth failed after it had replaced ${names(replaced)}, which hold the new render; the other folders hold the old one`,
        ...(aside.length > 0 ? [`${names(aside)} moved aside: the next synth puts them back`] : []),
        cause.message,
      ].join('\n'),
    );
  }
}

/** One folder (or page) of the output, staged beside it and swapped in by renames. */
interface Swap {
  /** Its path relative to the output folder. */
  readonly name: string;
  readonly final: string;
  readonly stage: string;
  readonly old: string;
}

/**
 * Replaces each env folder of `outdir` whole: stages every changed folder next to it, then swaps
 * them in with renames, so a reader (Argo CD, a reviewer, `kubectl apply -k`) sees either the old
 * env or the new one, never half of each, and files of removed objects vanish. An error while
 * swapping puts back the folders already swapped; Ctrl-C and SIGTERM are held until the write is
 * over and then end the process, saying what was replaced (./signals.ts). A lock folder keeps two
 * synths from interleaving; a lock left by a dead process is taken over. Unchanged files are
 * hard-linked from the previous output rather than written again, and a folder whose files are
 * all unchanged is left as it is.
 */
export function writeAtomically(options: WriteOptions): void {
  const { outdir, files, envs } = options;
  const folders = options.folders ?? envs;
  fs.mkdirSync(outdir, { recursive: true });
  const replaced: string[] = [];
  const signals = holdSignals();
  let release: (() => void) | undefined;
  try {
    release = lock(outdir);
    recover(outdir);
    const swaps: Swap[] = [];
    for (const folder of folders) {
      const swap = stageFolder(outdir, folder, files);
      if (swap) swaps.push(swap);
    }
    // Files beside the env folders (the overview page): each swapped like a folder.
    for (const [rel, content] of options.folders ? [] : files) {
      const swap = rel.includes('/') ? undefined : stagePage(outdir, rel, content);
      if (swap) swaps.push(swap);
    }
    swapAll(outdir, swaps, replaced);
    // What the swaps moved aside; one left behind is removed by the next synth (recover).
    for (const s of swaps) tryRemove(s.old);
  } finally {
    release?.();
    const base = path.basename(outdir);
    signals.settle(
      (signal) =>
        `interrupted by ${signal} while writing ${base}/ (held until the write was over); every folder is wholly old or wholly new: ` +
        (replaced.length > 0 ? `replaced ${replaced.map((f) => `${base}/${f}`).join(', ')}` : 'nothing was replaced'),
    );
  }
  if (!options.listingDir) return;
  try {
    link(outdir, files, options.listingDir);
  } catch (e) {
    if (replaced.length > 0) throw new PartialWriteError(replaced, [], outdir, e as Error);
    throw e;
  }
}

/** Writes a folder's files into a staging folder beside it; undefined when it already holds exactly them. */
function stageFolder(outdir: string, folder: string, files: ReadonlyMap<string, string>): Swap | undefined {
  const prefix = `${folder}/`;
  const mine = [...files].filter(([rel]) => rel.startsWith(prefix));
  const same = new Set(mine.filter(([rel, content]) => sameContent(path.join(outdir, rel), content)).map(([rel]) => rel));
  const final = path.join(outdir, folder);
  // A folder that already holds exactly these files stays as it is: nothing to swap.
  if (same.size === mine.length && sameFiles(final, mine.map(([rel]) => rel.slice(prefix.length)))) return undefined;
  const stage = path.join(outdir, `.staging-${process.pid}-${folder.replace(/\//g, '__')}`);
  const old = `${stage}.old`;
  fs.rmSync(stage, { recursive: true, force: true });
  fs.rmSync(old, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  const made = new Set<string>([stage]);
  for (const [rel, content] of mine) {
    const target = path.join(stage, rel.slice(prefix.length));
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    // A file whose content did not change is hard-linked from the previous output instead of
    // written: on a re-render most files are unchanged, and a link costs a fraction of a write.
    if (!(same.has(rel) && tryLink(path.join(outdir, rel), target))) fs.writeFileSync(target, content);
  }
  return { name: folder, final, stage, old };
}

function stagePage(outdir: string, rel: string, content: string): Swap | undefined {
  const final = path.join(outdir, rel);
  if (sameContent(final, content)) return undefined;
  const stage = path.join(outdir, `.staging-${process.pid}-${rel}`);
  fs.writeFileSync(stage, content);
  return { name: rel, final, stage, old: `${stage}.old` };
}

/**
 * Swaps each staged folder in (two renames each), recording it in `replaced`. On an error, puts
 * back every folder swapped so far and rethrows: the output is then as it was. A folder that
 * cannot be put back makes it a {@link PartialWriteError} that names what holds what.
 */
function swapAll(outdir: string, swaps: readonly Swap[], replaced: string[]): void {
  const done: Swap[] = [];
  const aside: string[] = [];
  try {
    for (const s of swaps) {
      fs.mkdirSync(path.dirname(s.final), { recursive: true });
      const had = fs.existsSync(s.final);
      if (had) fs.renameSync(s.final, s.old);
      try {
        fs.renameSync(s.stage, s.final);
      } catch (e) {
        if (had && !tryRename(s.old, s.final)) aside.push(s.name);
        throw e;
      }
      done.push(s);
      replaced.push(s.name);
    }
  } catch (e) {
    for (const s of done.reverse()) {
      if (!tryRename(s.final, s.stage)) continue;
      if (fs.existsSync(s.old) && !tryRename(s.old, s.final)) aside.push(s.name);
      replaced.splice(replaced.indexOf(s.name), 1);
    }
    if (replaced.length > 0 || aside.length > 0) throw new PartialWriteError([...replaced], aside, outdir, e as Error);
    throw e;
  }
}

function tryRemove(file: string): void {
  try {
    fs.rmSync(file, { recursive: true, force: true });
  } catch {
    // recover() removes it on the next synth
  }
}

function tryRename(from: string, to: string): boolean {
  try {
    fs.renameSync(from, to);
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts back what a synth killed outright (SIGKILL, power loss) left behind: an env folder moved
 * aside but not yet replaced is restored, and staging folders of processes that no longer run
 * are removed. Runs under the lock.
 */
function recover(outdir: string): void {
  for (const entry of fs.readdirSync(outdir)) {
    const m = /^\.staging-(\d+)-(.+?)(\.old)?$/.exec(entry);
    if (!m || (Number(m[1]) !== process.pid && alive(Number(m[1])))) continue;
    const full = path.join(outdir, entry);
    const env = path.join(outdir, m[2].replace(/__/g, '/'));
    if (m[3] && !fs.existsSync(env)) fs.renameSync(full, env);
    else fs.rmSync(full, { recursive: true, force: true });
  }
}

function lock(outdir: string): () => void {
  const dir = path.join(outdir, '.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
      return () => fs.rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readOr(path.join(dir, 'pid'), '0'));
      if (attempt < 1 && holder > 0 && !alive(holder)) {
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      throw new Error(`another synth (pid ${holder || 'unknown'}) is writing ${outdir}; wait for it, or remove ${dir} if no synth is running`);
    }
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    fs.linkSync(from, to);
    return true;
  } catch {
    return false; // a file system without hard links: write instead
  }
}

/** Whether `dir` holds exactly these files (paths relative to it), and nothing else. */
function sameFiles(dir: string, expected: readonly string[]): boolean {
  const found: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${rel}${e.name}/`);
      else found.push(`${rel}${e.name}`);
    }
  };
  try {
    walk(dir, '');
  } catch {
    return false;
  }
  if (found.length !== expected.length) return false;
  const want = new Set(expected);
  return found.every((f) => want.has(f));
}

function sameContent(file: string, content: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8') === content;
  } catch {
    return false;
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function link(outdir: string, files: ReadonlyMap<string, string>, listingDir: string): void {
  for (const rel of files.keys()) {
    const target = path.join(listingDir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    try {
      fs.linkSync(path.join(outdir, rel), target);
    } catch {
      fs.copyFileSync(path.join(outdir, rel), target);
    }
  }
}
