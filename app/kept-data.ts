/**
 * What a synth that drops a platform folder leaves in the cluster: its Namespace and volumes
 * (Prune=false,Delete=false), which the summary names with the command that deletes them on purpose.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { dataObjects, keptDataNote } from '../src/delivery/protection';

/** A platform folder as it was in dist/ before a synth: its Namespace and the data it held. */
export interface PlatformFolder {
  readonly env: string;
  readonly platform: string;
  readonly namespace: string;
  readonly claims: readonly string[];
}

/**
 * The platform folders of `envs` in `dist` (folders holding a Namespace) that are not among
 * `platforms`, so the next synth removes them, with the data they hold. Reads only those.
 */
export function droppedFolders(dist: string, envs: readonly string[], platforms: readonly string[]): PlatformFolder[] {
  const out: PlatformFolder[] = [];
  for (const env of envs) {
    const envDir = path.join(dist, env);
    if (!fs.existsSync(envDir)) continue;
    for (const e of fs.readdirSync(envDir, { withFileTypes: true })) {
      if (!e.isDirectory() || platforms.includes(e.name)) continue;
      const dir = path.join(envDir, e.name);
      const files = fs.readdirSync(dir).sort();
      const ns = files.find((f) => f.endsWith('-namespace.yaml'));
      if (!ns) continue;
      const docs = files
        .filter((f) => f.endsWith('-persistentvolumeclaim.yaml') || f.endsWith('-statefulset.yaml'))
        .map((f) => load(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, any>);
      out.push({ env, platform: e.name, namespace: ns.slice(0, -'-namespace.yaml'.length), claims: dataObjects(docs).map((d) => d.name) });
    }
  }
  return out;
}

/** The summary's note on each dropped folder. */
export function keptDataNotes(dropped: readonly PlatformFolder[]): string[] {
  return dropped.map((f) => keptDataNote(f.env, f.platform, f.namespace, f.claims));
}
