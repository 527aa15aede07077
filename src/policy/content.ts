/** Policy rules of content: what git says runs (image tags and pins) and what it must never hold (Secret data). */
import { imageProblem, isPinned } from '../image';
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
