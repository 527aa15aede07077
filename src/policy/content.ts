/** Policy rules of content: what git says runs (image tags and pins) and what it must never hold (Secret data). */
import { Environment } from '../environment';
import { imageProblem, isPinned, parseImage } from '../image';
import { containersOf, WORKLOAD_KINDS as PODS } from '../documents';
import { Rule, workloads } from './rule';


/** Images and Secrets. */
export const CONTENT_RULES: readonly Rule[] = [
  {
    id: 'image-tag',
    kinds: PODS,
    rationale: 'an image without a tag or with `latest` changes under the same manifest, so git no longer says what runs',
    fix: 'give every image a version tag or a digest',
    check: (ctx) =>
      workloads(ctx).flatMap(({ o, spec }) =>
        containersOf(spec).flatMap(({ c }) => {
          const p = imageProblem(c.image, false, ctx.env.name);
          return p ? [{ object: o, message: `${c.name}: ${p}` }] : [];
        }),
      ),
  },
  {
    id: 'image-pinned',
    kinds: PODS,
    rationale: 'demo and prod must run exactly the build that was reviewed and promoted',
    fix: 'pin a version, a commit SHA or a digest in the overlay',
    check: (ctx) =>
      (ctx.env.requirePinnedImages ?? true)
        ? workloads(ctx).flatMap(({ o, spec }) =>
            containersOf(spec)
              .filter(({ c }) => !isPinned(c.image))
              .map(({ c }) => ({ object: o, message: `${c.name} runs "${c.image}", which is not pinned` })),
          )
        : [],
  },
  {
    id: 'image-pull',
    kinds: PODS,
    rationale: 'a node keeps the first build it pulled under a moving tag (`:main`) when the pull policy is IfNotPresent, so pods run different builds under one manifest',
    fix: 'pull a moving tag Always, or pin a version or digest (the library picks the policy from the reference)',
    check: (ctx) =>
      workloads(ctx).flatMap(({ o, spec }) =>
        containersOf(spec)
          // Kubernetes' default for a tag other than `latest` is IfNotPresent: an unset policy counts as it.
          .filter(({ c }) => !isPinned(c.image) && (c.imagePullPolicy ?? 'IfNotPresent') !== 'Always')
          .map(({ c }) => ({ object: o, message: `${c.name} pulls the moving reference "${c.image}" ${c.imagePullPolicy ?? 'IfNotPresent (the default)'}` })),
      ),
  },
  {
    id: 'image-digest',
    kinds: PODS,
    rationale: 'a tag can be pushed again; in a production env only a digest says which bytes run, as reviewed and promoted',
    fix: 'record the digest in the release file (name:tag@sha256:<64 hex>, `npm run release` then `npm run promote`), or name the image in env.imageDigestWaivers with the reason',
    check: (ctx) =>
      ctx.env.production
        ? workloads(ctx).flatMap(({ o, spec }) =>
            containersOf(spec)
              .filter(({ c }) => typeof c.image === 'string' && !parseImage(c.image)?.digest && !digestWaiver(ctx.env, c.image))
              .map(({ c }) => ({ object: o, message: `${c.name} runs "${c.image}", a tag without a digest; ${ctx.env.name} runs images pinned by digest (name:tag@sha256:<64 hex>)` })),
          )
        : [],
  },
  {
    id: 'no-secret-data',
    kinds: ['Secret'],
    rationale: 'dist/ is committed: a Secret with data would put credentials in git',
    fix: 'reference existing Secrets with secretKey(name, key)',
    check: (ctx) =>
      ctx.objects
        .filter((o) => o.doc.kind === 'Secret' && (o.doc.data || o.doc.stringData))
        .map((o) => ({ object: o, message: 'holds data' })),
  },
];

/** The reason `env` gives for running `image` without a digest, if it waives that exact reference. */
export function digestWaiver(env: Environment, image: string): string | undefined {
  const reason = env.imageDigestWaivers?.[image];
  return typeof reason === 'string' && reason.trim().length >= 10 ? reason.trim() : undefined;
}
