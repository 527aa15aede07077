import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../src/synth/yaml';

// What the writer guarantees about the bytes of dist/, on small literal documents (test/yaml.test.ts
// checks that it matches js-yaml on every rendered and on generated documents).

describe('toYaml', () => {
  // A string a YAML reader would take for a boolean, null, number or date stays a string: quoted,
  // in double quotes, as a value and as a key. kubectl's YAML 1.1 reader takes yes/no/on/off for booleans.
  it.each(['yes', 'No', 'on', 'OFF', 'true', 'null', '~', '1', '-1', '0.5', '1e3', '0x1F', '012', '.inf', '2024-01-01', '', ' lead', '#x', 'a: b', '- a'])(
    'quotes the string %j in double quotes, as a value and as a key',
    (s) => {
      const quoted = JSON.stringify(s);
      expect(toYaml({ data: { v: s } })).toBe(`data:\n  v: ${quoted}\n`);
      expect(toYaml({ data: { [s]: 'v' } })).toBe(`data:\n  ${quoted}: v\n`);
      expect(load(toYaml({ data: { v: s, [s]: 'v' } }))).toEqual({ data: { v: s, [s]: 'v' } });
    },
  );

  it('writes a value that repeats an object in full each time, without anchors or aliases', () => {
    const labels = { app: 'x', tier: 'web' };
    const plain = { metadata: { labels }, spec: { selector: labels } };
    const expected = 'metadata:\n  labels:\n    app: x\n    tier: web\nspec:\n  selector:\n    app: x\n    tier: web\n';
    expect(toYaml(plain)).toBe(expected);
    // A multi-line string makes js-yaml lay out the whole document.
    expect(toYaml({ ...plain, data: { 'a.conf': 'one\ntwo' } })).toBe(`${expected}data:\n  a.conf: |-\n    one\n    two\n`);
  });

  it('keeps a long string on one line', () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    expect(toYaml({ data: { v: long } })).toBe(`data:\n  v: ${long}\n`);
  });

  it('writes a key longer than a YAML reader takes as an implicit key (1024 characters) as an explicit one', () => {
    const key = `${'k'.repeat(1100)}.conf`;
    const doc = { data: { [key]: 'v', short: 'w' } };
    const text = toYaml(doc);
    expect(text).toBe(`data:\n  ? ${key}\n  : v\n  short: w\n`);
    expect(load(text)).toEqual(doc);
  });

  it('leaves out fields whose value is undefined, as JSON does', () => {
    expect(toYaml({ kind: 'ConfigMap', metadata: { name: 'x', namespace: undefined }, data: { a: '1' } })).toBe('kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n');
  });

  it('writes a Date as a YAML timestamp, not as an empty mapping', () => {
    expect(toYaml({ metadata: { name: 'x' }, spec: { at: new Date(0), list: [new Date(0)] } })).toBe(
      'metadata:\n  name: x\nspec:\n  at: 1970-01-01T00:00:00.000Z\n  list:\n    - 1970-01-01T00:00:00.000Z\n',
    );
  });
});
