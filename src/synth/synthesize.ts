import { OverlayBase, PlatformEntry, render, Rendered, RenderOptions } from './render';
import { InputError } from '../problems';
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
  // Every env is rendered (the env pages compare them all); only the selected ones are written.
  const rendered = render(options.overlays, options.platforms, { timings: options.timings });
  const envs = options.envs ?? rendered.envs;
  for (const e of envs) if (!rendered.envs.includes(e)) throw new InputError([`${e}: unknown env "${e}"; known envs: ${rendered.envs.join(', ')}`]);
  const start = performance.now();
  writeAtomically({ outdir: options.outdir, files: rendered.files, envs, listingDir: options.listingDir });
  if (options.timings) options.timings.write = (options.timings.write ?? 0) + performance.now() - start;
  return rendered;
}
