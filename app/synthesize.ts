import { unusedDigestWaivers } from '../src/policy/engine';
import { InputError } from '../src/problems';
import { OverlayBase, PlatformEntry, render, Rendered, RenderOptions } from '../src/synth/render';
import { writeAtomically } from './write';

/** Options of {@link synthesize}. */
export interface SynthesizeOptions<O extends OverlayBase> extends RenderOptions {
  /** Every env's overlay, by env name. */
  readonly overlays: Readonly<Record<string, O>>;
  /** Every platform. */
  readonly platforms: readonly PlatformEntry<O>[];
  /** Output folder, e.g. `dist`. */
  readonly outdir: string;
  /**
   * Write only these platforms' folders of the selected envs; the other folders and the pages
   * beside them are left as they are.
   * @default - every platform
   */
  readonly onlyPlatforms?: readonly string[];
  /**
   * Folder that also receives the files (hard links), for the `cdk8s synth` CLI's listing.
   * @default - none
   */
  readonly listingDir?: string;
}

/**
 * Renders every env in memory, then writes the selected ones (all by default): any input
 * problem, schema error or crash throws before a single file is touched, so the previous output
 * stays exactly as it was.
 */
export function synthesize<O extends OverlayBase>(options: SynthesizeOptions<O>): Rendered {
  // Names first: a mistyped --env or --platform fails at once, before a render.
  const knownEnvs = Object.keys(options.overlays);
  const envs = options.envs ?? knownEnvs;
  for (const e of envs) if (!knownEnvs.includes(e)) throw new InputError([`${e}: unknown env "${e}"; known envs: ${knownEnvs.join(', ')}`]);
  const known = options.platforms.map((p) => p.name);
  for (const p of options.onlyPlatforms ?? []) if (!known.includes(p)) throw new InputError([`${p}: unknown platform "${p}"; known platforms: ${known.join(', ')}`]);
  // Every env is rendered (the env pages compare them all); only the selected ones are written.
  const rendered = render(options.overlays, options.platforms, { timings: options.timings, debug: options.debug, inputs: options.inputs });
  // Known only here, with every platform rendered: a digest waiver that waives nothing.
  const unused = unusedDigestWaivers(options.overlays, rendered.objects);
  if (unused.length > 0) throw new InputError(unused);
  const folders = options.onlyPlatforms ? envs.flatMap((e) => options.onlyPlatforms!.map((p) => `${e}/${p}`)) : undefined;
  const start = performance.now();
  writeAtomically({ outdir: options.outdir, files: rendered.files, envs, folders, listingDir: options.listingDir });
  if (options.timings) options.timings.write = (options.timings.write ?? 0) + performance.now() - start;
  return rendered;
}
