import { describe, expect, it } from 'vitest';
import { overlays } from '../overlays';
import { isPinned, parseImage } from '../src/image';
import { podSpecsOf, renderedPlatforms } from './helpers';

// Moving tags move: a reference that can name another build tomorrow (`:main`) is pulled at every
// start; a pinned one (digest, version, commit SHA) may come from the node's cache.
describe('image pull policy', () => {
  const containers = () =>
    renderedPlatforms().objects.flatMap((o) =>
      podSpecsOf(o.doc).flatMap((spec) => [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c: any) => ({ where: `${o.path} ${c.name}`, c }))),
    );

  it('pulls every moving reference Always, and every pinned one IfNotPresent, in every env', () => {
    const all = containers();
    for (const { where, c } of all) expect(c.imagePullPolicy, `${where}: ${c.image}`).toBe(isPinned(c.image) ? 'IfNotPresent' : 'Always');
    // And no moving reference at all where the env requires pinned images.
    for (const env of Object.keys(overlays).filter((e) => overlays[e].env.requirePinnedImages !== false)) {
      expect(all.filter(({ where, c }) => where.startsWith(`${env}/`) && !isPinned(c.image)), env).toEqual([]);
    }
  });

  it('tells a moving tag from a pinned reference', () => {
    const repo = 'ghcr.io/acme/api';
    expect(isPinned(`${repo}:main`)).toBe(false);
    expect(isPinned(`${repo}:feature-x`)).toBe(false);
    expect(isPinned(`${repo}:2.0.0`)).toBe(true);
    expect(isPinned(`${repo}:0123abc`)).toBe(true);
    expect(isPinned(`${repo}:main@sha256:${'a'.repeat(64)}`)).toBe(true);
    expect(parseImage(`${repo}@sha256:${'b'.repeat(64)}`)).toEqual({ repository: repo, tag: undefined, digest: `sha256:${'b'.repeat(64)}` });
  });
});
