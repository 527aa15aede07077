import * as fs from 'node:fs';
import * as path from 'node:path';

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
 * Replaces each env folder of `outdir` whole: writes the env into a staging folder next to it,
 * then swaps it in with renames, so a reader (Argo CD, a reviewer, `kubectl apply -k`) sees
 * either the old env or the new one, never half of each, and files of removed objects vanish.
 * A lock folder keeps two synths from interleaving; a lock left by a dead process is taken over.
 * Unchanged files are hard-linked from the previous output rather than written again, and a
 * folder whose files are all unchanged is left as it is.
 */
export function writeAtomically(options: WriteOptions): void {
  const { outdir, files, envs } = options;
  const folders = options.folders ?? envs;
  fs.mkdirSync(outdir, { recursive: true });
  const release = lock(outdir);
  // Ctrl-C or a TERM while folders are swapped would leave an env half-swapped: hold the signal
  // until the write is over, then let it act as it would have.
  const held: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals) => held.push(signal);
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  try {
    recover(outdir);
    for (const folder of folders) {
      const prefix = `${folder}/`;
      const mine = [...files].filter(([rel]) => rel.startsWith(prefix));
      const same = new Set(mine.filter(([rel, content]) => sameContent(path.join(outdir, rel), content)).map(([rel]) => rel));
      const final = path.join(outdir, folder);
      // A folder that already holds exactly these files stays as it is: nothing to swap.
      if (same.size === mine.length && sameFiles(final, mine.map(([rel]) => rel.slice(prefix.length)))) continue;
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
      fs.mkdirSync(path.dirname(final), { recursive: true });
      if (fs.existsSync(final)) fs.renameSync(final, old);
      fs.renameSync(stage, final);
      fs.rmSync(old, { recursive: true, force: true });
    }
    // Files beside the env folders (the overview page): each replaced whole by a rename.
    for (const [rel, content] of files) {
      if (rel.includes('/') || options.folders) continue;
      const target = path.join(outdir, rel);
      if (sameContent(target, content)) continue;
      const temp = path.join(outdir, `.staging-${process.pid}-${rel}`);
      fs.writeFileSync(temp, content);
      fs.renameSync(temp, target);
    }
  } finally {
    release();
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
  }
  if (held.length > 0) process.kill(process.pid, held[0]);
  if (options.listingDir) link(outdir, files, options.listingDir);
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
