import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { didYouMean, formatPath, inputProblems, keysAt, keysOnly, labels, list, names, strict } from '../src/schema';

// The building blocks every overlay, release file and chart setting is checked with, on small
// schemas: how a path is written, which key a typo was meant as, and how each kind of problem
// is worded.

const route = strict({ path: z.string(), port: z.optional(z.int()), tls: z.optional(z.boolean()) });
const settings = strict({
  name: z.string(),
  replicas: z.optional(z.int()),
  routes: z.optional(list(route)),
  byHost: z.optional(names(route)),
  piped: z.optional(z.pipe(strict({ inner: z.string() }), z.transform((v) => v))),
  nullable: z.nullable(strict({ deep: z.string() })),
  defaulted: z._default(strict({ level: z.string() }), { level: 'info' }),
  mode: z.optional(z.literal(['fast', 'safe'])),
  caught: z.optional(z.catch(strict({ c: z.string() }), { c: 'x' })),
  prefaulted: z.optional(z.prefault(strict({ p: z.string() }), { p: 'x' })),
  required: z.optional(z.nonoptional(z.optional(strict({ r: z.string() })))),
  labels: z.optional(labels),
  note: z.optional(z.string().check(z.minLength(3))),
});
const check = (value: unknown) => inputProblems(settings, value, 'prod/demo', ['settings']);
const valid = { name: 'a', nullable: null };

describe('a field path', () => {
  it('is written as a user writes it: names with dots, list items by index, other keys quoted', () => {
    expect(formatPath(['env', 'routes', 0, 'path'])).toBe('env.routes[0].path');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath(['labels', 'app.kubernetes.io/name'])).toBe('labels["app.kubernetes.io/name"]');
    expect(formatPath(['x', '1abc', '_ok$', 'a-b'])).toBe('x["1abc"]._ok$["a-b"]');
    expect(formatPath(['has space', 'end'])).toBe('["has space"].end');
    expect(formatPath([])).toBe('');
  });
});

describe('did you mean', () => {
  const known = ['storageClass', 'replicas', 'autoscale', 'production'];
  it('names the closest known key within a third of the longer name', () => {
    expect(didYouMean('storageClas', known)).toBe('storageClass');
    expect(didYouMean('prodution', known)).toBe('production');
    expect(didYouMean('REPLICAS', known)).toBe('replicas');
  });

  it('names a key one starts with the other of, from four characters on', () => {
    expect(didYouMean('autoscaling', known)).toBe('autoscale');
    expect(didYouMean('productionMode', ['prod'])).toBe('prod');
    // Close by a third of the longer name (12 / 3 = 4 edits), not of the shorter.
    expect(didYouMean('xbcdefghi', ['abcdefghijkl'])).toBe('abcdefghijkl');
    expect(didYouMean('prod', known)).toBe('production');
    // Three characters are too few to guess from, and a shared ending is no guess.
    expect(didYouMean('rep', known)).toBeUndefined();
    expect(didYouMean('Class', ['storageClass'])).toBeUndefined();
  });

  it('takes the closest when several are close, the first of equals, and nothing when none is', () => {
    expect(didYouMean('port', ['ports', 'pot', 'part'])).toBe('ports');
    expect(didYouMean('abcdefgh', ['abcdefxy', 'abcdefgx'])).toBe('abcdefgx');
    expect(didYouMean('abcd', ['abce', 'abcf'])).toBe('abce');
    expect(didYouMean('tls', ['path', 'port'])).toBeUndefined();
    expect(didYouMean('zzzzzzzz', known)).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});

describe('the keys a schema allows at a path', () => {
  it('follow objects, list items, map values, pipes and every wrapper', () => {
    expect(keysAt(settings, [])).toEqual(['name', 'replicas', 'routes', 'byHost', 'piped', 'nullable', 'defaulted', 'mode', 'caught', 'prefaulted', 'required', 'labels', 'note']);
    expect(keysAt(settings, ['caught'])).toEqual(['c']);
    expect(keysAt(settings, ['prefaulted'])).toEqual(['p']);
    expect(keysAt(settings, ['required'])).toEqual(['r']);
    expect(keysAt(settings, ['routes', 0])).toEqual(['path', 'port', 'tls']);
    expect(keysAt(settings, ['byHost', 'a.example.com'])).toEqual(['path', 'port', 'tls']);
    expect(keysAt(settings, ['piped'])).toEqual(['inner']);
    expect(keysAt(settings, ['nullable'])).toEqual(['deep']);
    expect(keysAt(settings, ['defaulted'])).toEqual(['level']);
  });

  it('are none where the path leads to no object schema', () => {
    expect(keysAt(settings, ['name'])).toEqual([]);
    expect(keysAt(settings, ['nope'])).toEqual([]);
    expect(keysAt(settings, [0])).toEqual([]);
    expect(keysAt(settings, ['routes', 0, 'path'])).toEqual([]);
    expect(keysAt(settings, ['labels', 'app'])).toEqual([]);
    expect(keysAt(z.string(), [])).toEqual([]);
  });

  it('keysOnly refuses unknown top-level keys, and leaves values and missing keys to the parts\' own checks', () => {
    const top = keysOnly(settings);
    expect(inputProblems(top, { name: 42, routes: 'anything' }, 'prod')).toEqual([]);
    expect(inputProblems(top, { name: 'a', replica: 1 }, 'prod')).toEqual(['prod: replica: unknown key; did you mean "replicas"?']);
  });
});

describe('a problem with an input', () => {
  it('is nothing when the input fits', () => {
    expect(check(valid)).toEqual([]);
    expect(check({ ...valid, routes: [{ path: '/' }], byHost: { h: { path: '/', port: 80 } }, labels: { 'app.kubernetes.io/name': 'x' } })).toEqual([]);
  });

  it('names an unknown key with its path and a did-you-mean, also inside lists and maps', () => {
    expect(check({ ...valid, replica: 2 })).toEqual(['prod/demo: settings.replica: unknown key; did you mean "replicas"?']);
    expect(check({ ...valid, routes: [{ path: '/' }, { path: '/', prt: 1 }] })).toEqual(['prod/demo: settings.routes[1].prt: unknown key; did you mean "port"?']);
    expect(check({ ...valid, byHost: { 'a.example.com': { path: '/', tlss: true } } })).toEqual(['prod/demo: settings.byHost["a.example.com"].tlss: unknown key; did you mean "tls"?']);
    expect(check({ ...valid, piped: { inner: 'x', iner: 'y' } })).toEqual(['prod/demo: settings.piped.iner: unknown key; allowed: inner']);
  });

  it('guesses only keys the input does not set already, and lists them all when nothing is close', () => {
    // "port" is set, so "ports" is no typo of it.
    expect(check({ ...valid, routes: [{ path: '/', port: 1, ports: 2 }] })).toEqual(['prod/demo: settings.routes[0].ports: unknown key; allowed: path, port, tls']);
    expect(check({ ...valid, routes: [{ path: '/', ports: 2 }] })).toEqual(['prod/demo: settings.routes[0].ports: unknown key; did you mean "port"?']);
    expect(check({ ...valid, routes: [{ path: '/', xyzzy: 1 }] })).toEqual(['prod/demo: settings.routes[0].xyzzy: unknown key; allowed: path, port, tls']);
  });

  it('says what a missing or mistyped field should be, and what it got', () => {
    expect(check({ nullable: null })).toEqual(['prod/demo: settings.name: required; expected a string']);
    expect(check({ ...valid, replicas: 1.5 })).toEqual(['prod/demo: settings.replicas: 1.5 is a number; expected a whole number']);
    expect(check({ ...valid, replicas: '2' })).toEqual(['prod/demo: settings.replicas: "2" is a string; expected a number']);
    expect(check({ ...valid, routes: { path: '/' } })).toEqual(['prod/demo: settings.routes: {"path":"/"} is an object; expected a list']);
    expect(check({ ...valid, routes: [null] })).toEqual(['prod/demo: settings.routes[0]: null is null; expected an object']);
    expect(check({ ...valid, name: ['a'] })).toEqual(['prod/demo: settings.name: ["a"] is a list; expected a string']);
    expect(check({ ...valid, routes: [{ path: '/', tls: 'yes' }] })).toEqual(['prod/demo: settings.routes[0].tls: "yes" is a string; expected true or false']);
    expect(check({ ...valid, labels: ['a'] })).toEqual(['prod/demo: settings.labels: ["a"] is a list; expected an object of names to values']);
    expect(check({ ...valid, labels: { a: 1 } })).toEqual(['prod/demo: settings.labels.a: 1 is a number; expected a string']);
  });

  it('lists the allowed values of a choice, and words any other check in lower case', () => {
    expect(check({ ...valid, mode: 'quick' })).toEqual(['prod/demo: settings.mode: "quick" is not allowed; use "fast" or "safe"']);
    expect(check({ ...valid, note: 'ab' })).toEqual(['prod/demo: settings.note: "ab" is not allowed: invalid input']);
  });

  it('is worded without a path when the whole input is wrong', () => {
    expect(inputProblems(settings, 'text', 'prod')).toEqual(['prod: "text" is a string; expected an object']);
    expect(inputProblems(strict({ a: z.string() }), { a: 'x', b: 1 }, 'dev')).toEqual(['dev: b: unknown key; allowed: a']);
    expect(inputProblems(strict({ alpha: z.string() }), { alpa: 'x' }, 'dev')).toEqual(['dev: alpha: required; expected a string', 'dev: alpa: unknown key; did you mean "alpha"?']);
  });
});
