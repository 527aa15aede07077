import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rendered } from '../src';
import { jsYaml, toYaml } from '../src/synth/yaml';
import { renderedPlatforms } from './helpers';

// toYaml lays out documents itself and asks js-yaml only for scalars and keys (cached): its
// output must be js-yaml's, byte for byte, whatever the document holds.

let rendered: Rendered;
beforeAll(() => {
  rendered = renderedPlatforms();
});

// Strings that YAML reads as something else, or that need quoting or escapes.
const tricky = fc.constantFrom(
  '', ' ', 'yes', 'No', 'on', 'OFF', 'y', '~', 'null', 'Null', 'true', 'false', '1', '-1', '0.5', '1e3', '0x1F', '0o17', '.inf', '-.Inf', '.nan', '012',
  '2024-01-01', '2024-01-01T10:00:00Z', '12:30:00', '<<', '=', '- a', 'a: b', 'a:b', '#x', 'x #y', '"q"', "'s'", '!tag', '&a', '*a', '|', '>', '%x', '@x', '`x',
  ' lead', 'trail ', 'a\nb', 'line\n', '\n', 'a\tb', '\u0085', '\u2028', '\ufeff', 'é', '日本', '😀', '\\', '{a}', '[a]', ',', '?', '? x', 'a\rb', '\u0007',
);
const text = fc.oneof(tricky, fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary', maxLength: 8 }));
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e21, 5e-7, Number.MAX_SAFE_INTEGER), fc.boolean(), fc.constant(null));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(text, tie('value'), { maxKeys: 4 }),
}));

describe('toYaml', () => {
  it('renders every document of every env exactly as js-yaml does', () => {
    expect(rendered.objects.length).toBeGreaterThan(300);
    for (const { path, doc } of rendered.objects) expect(toYaml(doc), path).toBe(jsYaml(doc));
  });

  it('renders generated documents exactly as js-yaml does, multi-line strings included', () => {
    fc.assert(
      fc.property(fc.dictionary(text, value, { maxKeys: 6 }), (doc) => {
        expect(toYaml(doc)).toBe(jsYaml(doc));
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 1000) },
    );
  });

  it('puts apiVersion, kind and metadata first and keeps the other keys in order', () => {
    expect(toYaml({ spec: { b: 1, a: [] }, kind: 'ConfigMap', metadata: { name: 'x' }, apiVersion: 'v1' }, 'header')).toBe(
      '# header\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nspec:\n  b: 1\n  a: []\n',
    );
  });
});
