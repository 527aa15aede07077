// Runs one of the project's TypeScript entry points fast, without type-checking (`tsc --noEmit`
// runs in `npm test`), and never anything but the current sources. esbuild makes two CommonJS
// bundles, both run from V8's code cache:
//   - the entry's own code (app/, src/, charts/, overlays/), rebuilt in about 0.1 s after an edit;
//   - "vendor": the packages that code imports (cdk8s, cdk8s-plus-27, js-yaml, the validators),
//     rebuilt when that list or the installed packages change.
// Correct first: a bundle is current only when a hash of every input, taken from the very bytes
// esbuild compiled (stamp.js), still matches, along with tsconfig.json, package.json, the lock
// file, the build settings, this runner's own code, and the esbuild, Node and V8 versions. The
// bundle's own hash is checked before it runs, and a code cache is used only for the exact code
// it was made from (code-cache.js). A damaged or mismatched file is discarded and rebuilt, with
// one line on stderr. Checking costs a read and a hash of each input (a few milliseconds for the
// app's some 50 files, about 10 ms for the 430 files of the packages).
// Node 22+ has module.enableCompileCache, but it keys its entries by a CRC32 of the source and
// serves only modules Node's own loader compiles; this cache works the same on Node 20, 22 and 24.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { sha256, hashingPlugin, folderListing, inputsCurrent, stampText, parseStamp } = require('./stamp');
const { load, removeCaches, writeWhole } = require('./code-cache');

const root = path.resolve(__dirname, '..');
// The entry's own bundle lives in the checkout: a copy that links node_modules (a worktree, a
// test's scratch copy) must never run another checkout's code, and leaves nothing behind. The
// vendor bundle lives with the packages it is made of, so such copies share it.
const dir = path.join(root, '.cache', 'bundles');
const vendorDir = path.join(root, 'node_modules', '.cache', 'trading-platform-manifests');
// The vendor bundle is built from, and its inputs named relative to, the folder that really holds
// node_modules: the same bundle, byte for byte, for every copy that links it.
const vendorRoot = (() => {
  try {
    return path.dirname(fs.realpathSync(path.join(root, 'node_modules')));
  } catch {
    return root;
  }
})();
const BASE = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };

const rel = (file) => path.relative(root, file);
const say = (line) => process.stderr.write(`runner: ${line}\n`);
const readOr = (file, fallback) => {
  try {
    return fs.readFileSync(file);
  } catch {
    return fallback;
  }
};

/** What every bundle depends on besides its inputs: settings, versions, and the files named. */
function keyOf(options, base, files) {
  const esbuildVersion = JSON.parse(readOr(path.join(root, 'node_modules', 'esbuild', 'package.json'), '{}')).version;
  const runner = ['bundled.js', 'stamp.js', 'code-cache.js'].map((f) => sha256(readOr(path.join(__dirname, f), '')));
  const hashes = files.map((f) => [f, sha256(readOr(path.join(base, f), 'missing'))]);
  return sha256(JSON.stringify({ options, esbuildVersion, node: process.version, v8: process.versions.v8, arch: process.arch, runner, hashes }));
}

/** The bundle `spec` describes when its stamp says it is current and it is whole; otherwise undefined. */
function current(spec) {
  const text = readOr(spec.stampFile);
  if (text === undefined) return undefined; // never built
  const stamp = parseStamp(text.toString('utf8'));
  if (!stamp) return discard(spec.stampFile, 'it is damaged (its checksum does not match)');
  if (stamp.key !== spec.key || !inputsCurrent(spec.root, stamp)) return undefined; // stale: rebuilt quietly
  const code = readOr(spec.file);
  if (code === undefined) return discard(spec.stampFile, `${rel(spec.file)}, the bundle it describes, is missing`);
  if (sha256(code) !== stamp.bundle) return discard(spec.file, 'it does not match the hash taken when it was built (damaged or cut short)');
  return { file: spec.file, code: code.toString('utf8'), hash: stamp.bundle, imports: stamp.imports ?? [] };
}

function discard(file, why) {
  say(`discarded ${rel(file)}: ${why}; rebuilding`);
  fs.rmSync(file, { force: true });
  return undefined;
}

/** Builds the bundle `spec` describes, stamps it with the hashes of the bytes esbuild compiled, and returns it. */
async function build(spec) {
  const hashes = new Map();
  const result = await require('esbuild').build({ ...spec.options, absWorkingDir: spec.root, write: false, metafile: true, plugins: [hashingPlugin(spec.root, hashes)] });
  const inputs = Object.keys(result.metafile.inputs).filter((i) => i !== '<stdin>');
  const unhashed = inputs.filter((i) => !hashes.has(path.relative(spec.root, path.resolve(spec.root, i)).split(path.sep).join('/')));
  if (unhashed.length > 0) throw new Error(`the runner did not hash these inputs of ${rel(spec.file)}: ${unhashed.join(', ')}`);
  const imports = new Set();
  for (const input of Object.values(result.metafile.inputs)) {
    // Bare package paths only: esbuild also lists the relative imports it dropped as type-only.
    for (const i of input.imports) if (i.external && /^[@a-z]/.test(i.path) && !Module.isBuiltin(i.path)) imports.add(i.path);
  }
  const out = result.outputFiles.find((f) => f.path === spec.file);
  const hash = sha256(out.contents);
  // A code cache stays only for the same code (an edit of a comment or a type).
  removeCaches(spec.file, hash);
  for (const f of result.outputFiles) {
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    writeWhole(f.path, f.contents);
  }
  const sorted = [...hashes].sort(([a], [b]) => (a < b ? -1 : 1));
  const stamp = {
    key: spec.key,
    inputs: Object.fromEntries(sorted),
    ...(spec.folders ? { folders: folderListing(spec.root, sorted.map(([r]) => r)) } : {}),
    bundle: hash,
    imports: [...imports].sort(),
  };
  writeWhole(spec.stampFile, stampText(stamp));
  return { file: spec.file, code: out.text, hash: stamp.bundle, imports: stamp.imports };
}

const bundle = async (spec) => current(spec) ?? build(spec);

/** The entry's own bundle: its packages stay external, its tsconfig.json is the one whose bytes were hashed. */
function appSpec(entry) {
  const name = path.basename(entry, '.ts');
  const file = path.join(dir, `${name}.js`);
  const tsconfig = readOr(path.join(root, 'tsconfig.json'), '{}').toString('utf8');
  const options = { ...BASE, entryPoints: [entry], packages: 'external', sourcemap: 'linked', outdir: rel(dir), tsconfigRaw: tsconfig };
  const key = keyOf({ ...options, tsconfigRaw: sha256(tsconfig) }, root, ['package.json', 'package-lock.json']);
  return { name, file, stampFile: path.join(dir, `${name}.json`), key, root, folders: true, options };
}

/** The bundle of the packages `imports` names; its inputs are hashed like the app's, and the installed list is part of its key. */
function vendorSpec(name, imports) {
  // Each package is loaded on first use, as a plain require would.
  const contents = `module.exports = {\n${imports.map((i) => `  ${JSON.stringify(i)}: () => require(${JSON.stringify(i)}),`).join('\n')}\n};\n`;
  // esbuild is a build tool, never part of what runs.
  const options = { ...BASE, stdin: { contents, resolveDir: vendorRoot, loader: 'js' }, external: ['esbuild'], tsconfigRaw: '{}' };
  const id = sha256(JSON.stringify([name, imports])).slice(0, 12);
  const file = path.join(vendorDir, `${name}.vendor-${id}.js`);
  const key = keyOf(options, vendorRoot, [path.join('node_modules', '.package-lock.json'), 'package-lock.json']);
  return { file, stampFile: path.join(vendorDir, `${name}.vendor-${id}.json`), key, root: vendorRoot, folders: false, options: { ...options, outfile: file } };
}

/** A check for the code cache: is the code with `hash` still what `spec`'s stamp names? */
const stillCurrent = (spec, hash) => () => parseStamp(readOr(spec.stampFile, '').toString('utf8'))?.bundle === hash;

/** Runs `entry` (a path relative to the project root) with process.argv as given. */
async function run(entry) {
  const appAt = appSpec(entry);
  const app = await bundle(appAt);
  if (process.env.DEBUG) {
    // Stack traces that name the TypeScript sources: Node 20 maps only what its module loader
    // loads, so the bundle (just checked whole) is required plainly, its packages from node_modules.
    process.setSourceMapsEnabled(true);
    process.chdir(root);
    require(app.file);
    return;
  }
  const vendorAt = vendorSpec(appAt.name, app.imports);
  for (const old of fs.existsSync(vendorDir) ? fs.readdirSync(vendorDir) : []) {
    if (old.startsWith(`${appAt.name}.vendor-`) && !old.startsWith(path.basename(vendorAt.file, '.js'))) fs.rmSync(path.join(vendorDir, old), { force: true });
  }
  const vendorBundle = await bundle(vendorAt);
  const nodeRequire = Module.createRequire(app.file);
  const vendor = load(vendorBundle, nodeRequire, { say, label: rel, stillCurrent: stillCurrent(vendorAt, vendorBundle.hash) });
  // A vendor entry loads its package once (esbuild's module wrappers keep what they loaded).
  const appRequire = (id) => (Object.hasOwn(vendor, id) ? vendor[id]() : nodeRequire(id));
  process.chdir(root);
  load(app, Object.assign(appRequire, { resolve: nodeRequire.resolve, cache: nodeRequire.cache }), { say, label: rel, stillCurrent: stillCurrent(appAt, app.hash) });
}

module.exports = {
  run: (entry) =>
    run(entry).catch((e) => {
      // esbuild has printed its own errors (a syntax error in a source, a missing import).
      if (!Array.isArray(e.errors)) process.stderr.write(`${e.stack}\n`);
      process.exitCode = 1;
    }),
};
