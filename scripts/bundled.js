// Runs one of the project's TypeScript entry points fast, without type-checking (`tsc --noEmit`
// runs in `npm test`). esbuild makes two CommonJS bundles, both run from V8's code cache:
//   - the entry's own code (src/, charts/, overlays/), rebuilt in about 0.1 s when one of the
//     files it was made of changed (time stamp or size), as after every edit;
//   - "vendor": the packages that code imports (cdk8s, cdk8s-plus-27, js-yaml, the validators),
//     rebuilt only when that list or the installed packages change.
// A cold synth used to spend about 0.4 s resolving and compiling some 450 modules one by one;
// reading two files with their compiled code takes a few tens of milliseconds. Node 20 has no
// built-in compile cache (module.enableCompileCache came in Node 22), and v8-compile-cache's own
// `require` broke the validators' lookup, so the cache is V8's vm.Script cachedData API.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const root = path.resolve(__dirname, '..');
// The entry's own bundle lives in the checkout: a copy that links node_modules (a worktree, a
// test's scratch copy) must never run another checkout's code, and leaves nothing behind. The
// vendor bundle lives with the packages it is made of, so such copies share it.
const dir = path.join(root, '.cache', 'bundles');
const vendorDir = path.join(root, 'node_modules', '.cache', 'trading-platform-manifests');
// npm rewrites it on every install; its time stamp says which packages the vendor bundle holds.
const INSTALLED = path.join(root, 'node_modules', '.package-lock.json');
const BASE = { absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', write: false };

const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

/**
 * The stamp of the files a bundle was made of (esbuild's list of its inputs): their paths, time
 * stamps and sizes. It changes when one of them is edited, deleted or put back with an older
 * time stamp; a new file matters only once an input imports it, which edits that input.
 */
function stampOf(inputs) {
  const lines = inputs.map((rel) => {
    try {
      const st = fs.statSync(path.join(root, rel));
      return `${rel}\0${st.mtimeMs}\0${st.size}`;
    } catch {
      return `${rel}\0missing`;
    }
  });
  return crypto.createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Writes a file whole or not at all: parallel runs (tests) never read half of one. */
function writeWhole(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

function writeOutputs(result) {
  for (const f of result.outputFiles) {
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    writeWhole(f.path, f.contents);
  }
}

/** Builds the entry's own bundle when stale; returns its file and the packages it imports. */
function appBundle(entry) {
  const name = path.basename(entry, '.ts');
  const file = path.join(dir, `${name}.js`);
  const stampFile = path.join(dir, `${name}.json`);
  let built;
  try {
    built = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  } catch {}
  if (!built || built.stamp !== stampOf(built.inputs) || !fs.existsSync(file)) {
    const result = require('esbuild').buildSync({ ...BASE, entryPoints: [path.join(root, entry)], packages: 'external', sourcemap: 'linked', metafile: true, outdir: dir });
    const imports = new Set();
    for (const input of Object.values(result.metafile.inputs)) {
      // Bare package paths only: esbuild also lists the relative imports it dropped as type-only.
      for (const i of input.imports) if (i.external && /^[@a-z]/.test(i.path) && !Module.isBuiltin(i.path)) imports.add(i.path);
    }
    fs.rmSync(`${file}.cache`, { force: true });
    writeOutputs(result);
    const inputs = Object.keys(result.metafile.inputs).sort();
    built = { inputs, stamp: stampOf(inputs), imports: [...imports].sort() };
    writeWhole(stampFile, JSON.stringify(built));
  }
  return { name, file, imports: built.imports };
}

/** The bundle of the packages `imports` names, built when that list or the installed packages changed. */
function vendorBundle(name, imports) {
  const key = crypto
    .createHash('sha256')
    .update(JSON.stringify([imports, mtime(INSTALLED) || mtime(path.join(root, 'package-lock.json'))]))
    .digest('hex')
    .slice(0, 12);
  const file = path.join(vendorDir, `${name}.vendor-${key}.js`);
  if (!fs.existsSync(file)) {
    // Each package is loaded on first use, as a plain require would.
    const contents = `module.exports = {\n${imports.map((i) => `  ${JSON.stringify(i)}: () => require(${JSON.stringify(i)}),`).join('\n')}\n};\n`;
    // esbuild is a build tool, never part of what runs.
    const result = require('esbuild').buildSync({ ...BASE, stdin: { contents, resolveDir: root, loader: 'js' }, external: ['esbuild'], outfile: file });
    for (const old of fs.existsSync(vendorDir) ? fs.readdirSync(vendorDir) : []) if (old.startsWith(`${name}.vendor-`)) fs.rmSync(path.join(vendorDir, old), { force: true });
    writeOutputs(result);
  }
  return file;
}

/** Runs a CommonJS file from its code cache (written after the first run) and returns its exports. */
function load(file, require) {
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {}
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // At exit, so the cache also holds the functions compiled lazily during the run.
    process.once('exit', () => {
      try {
        writeWhole(cacheFile, script.createCachedData());
      } catch {
        // A read-only checkout runs without the cache.
      }
    });
  }
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext()(module.exports, require, module, file, path.dirname(file));
  return module.exports;
}

/** Runs `entry` (a path relative to the project root) with process.argv as given. */
function run(entry) {
  const app = appBundle(entry);
  if (process.env.DEBUG) {
    // Stack traces that name the TypeScript sources: Node 20 maps only what its module loader
    // loads, so the bundle is required plainly, its packages from node_modules.
    process.setSourceMapsEnabled(true);
    process.chdir(root);
    require(app.file);
    return;
  }
  const nodeRequire = Module.createRequire(app.file);
  const vendor = load(vendorBundle(app.name, app.imports), nodeRequire);
  // A vendor entry loads its package once (esbuild's module wrappers keep what they loaded).
  const appRequire = (id) => (Object.hasOwn(vendor, id) ? vendor[id]() : nodeRequire(id));
  process.chdir(root);
  load(app.file, Object.assign(appRequire, { resolve: nodeRequire.resolve, cache: nodeRequire.cache }));
}

module.exports = { run };
