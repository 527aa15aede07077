import { show } from './checks';

/** The parts of an image reference `[registry/]repository[:tag][@sha256:digest]`. */
export interface ImageParts {
  /** Everything before the tag or digest, e.g. `ghcr.io/peripheral/backend`. */
  readonly repository: string;
  /** The tag, when there is one. */
  readonly tag?: string;
  /** The digest (`sha256:…`), when there is one. */
  readonly digest?: string;
}

const REFERENCE = /^((?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;
const VERSION = /^v?[0-9]+\.[0-9]+([-+._][0-9A-Za-z.-]+)*$/;
const COMMIT = /^(sha-)?[0-9a-f]{7,40}$/;

/** Splits an image reference, or returns `undefined` when it is not one. */
export function parseImage(ref: string): ImageParts | undefined {
  const m = REFERENCE.exec(ref);
  if (!m) return undefined;
  return { repository: m[1], tag: m[2], digest: m[3] };
}

/** Whether an image reference names exactly one build: a digest, a version tag or a commit SHA tag. */
export function isPinned(ref: string): boolean {
  const parts = parseImage(ref);
  if (!parts) return false;
  if (parts.digest) return true;
  return parts.tag !== undefined && (VERSION.test(parts.tag) || COMMIT.test(parts.tag));
}

/**
 * Checks an image reference: it must parse, carry a tag or a digest, never `latest`, and,
 * where `pinned` is required (demo and prod), name one build (version, commit SHA or digest).
 */
export function imageProblem(ref: unknown, pinned: boolean, envName: string): string | undefined {
  if (typeof ref !== 'string' || ref.length === 0) return `expected an image reference, got ${show(ref)}`;
  const parts = parseImage(ref);
  if (!parts) return `"${ref}" is not an image reference (registry/repository:tag or @sha256:digest)`;
  if (!parts.tag && !parts.digest) return `"${ref}" has no tag or digest; name the version to run`;
  if (parts.tag?.toLowerCase() === 'latest' && !parts.digest) return `"${ref}" uses the tag "${parts.tag}", which is mutable; pin a version or digest in the ${envName} overlay`;
  if (pinned && !isPinned(ref)) {
    return `"${ref}" uses the moving tag "${parts.tag}"; ${envName} runs only pinned images: a version (1.4.2), a commit SHA or a digest (@sha256:…)`;
  }
  return undefined;
}
