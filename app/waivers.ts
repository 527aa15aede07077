/**
 * The digest waivers a release change leaves without an image (`env.imageDigestWaivers` in
 * `overlays/<env>.ts`): synth refuses a waiver that waives nothing, so `pin` and `promote` delete
 * them in the same change as the release file that pins their images.
 */
import { parseImage } from '../src/image';

/** An image an overlay sets itself (not through a release file), with where. */
export interface OverlayImage {
  /** Dotted path in the overlay, e.g. `env.objectStorage.image`. */
  readonly path: string;
  readonly image: string;
}

/**
 * The images an overlay sets in a field named `image` (e.g. `env.objectStorage.image`); the
 * release file's entries sit under `images` and are left out.
 */
export function overlayImages(value: unknown, at: readonly string[] = [], seen = new Set<unknown>()): OverlayImage[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  return Object.entries(value).flatMap(([key, v]) => {
    if (key === 'images') return [];
    if (key === 'image' && typeof v === 'string') return [{ path: [...at, key].join('.'), image: v }];
    return overlayImages(v, [...at, key], seen);
  });
}

/** Every reference of a release (platform → service → image). */
export const releaseImages = (release: Readonly<Record<string, Readonly<Record<string, string>>>>): string[] =>
  Object.values(release).flatMap((services) => Object.values(services));

/** The waived references that none of `images` runs without a digest, in the waivers' order. */
export function waiversLeftUnused(waivers: Readonly<Record<string, string>> | undefined, images: readonly string[]): string[] {
  const byTag = new Set(images.filter((i) => !parseImage(i)?.digest));
  return Object.keys(waivers ?? {}).filter((w) => !byTag.has(w));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Deletes the waiver of each reference from an overlay's source: the one line
 * `'<image>': <reason>,` (or with double quotes). Says which it cannot find as one such line,
 * for a person to delete.
 */
export function deleteWaivers(source: string, images: readonly string[]): { readonly text: string } | { readonly problems: string[] } {
  let text = source;
  const problems: string[] = [];
  for (const image of images) {
    const line = new RegExp(`^[ \\t]*(['"])${escape(image)}\\1[ \\t]*:[^\\n]*,[ \\t]*(//[^\\n]*)?\\n`, 'gm');
    const found = text.match(line) ?? [];
    if (found.length === 1) text = text.replace(line, '');
    else problems.push(`env.imageDigestWaivers["${image}"]: found ${found.length} lines of the form '${image}': <reason>, (expected 1); delete the waiver by hand and run again`);
  }
  return problems.length > 0 ? { problems } : { text };
}
