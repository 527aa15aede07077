// V8 code caches for the runner's bundles (see bundled.js), used only for the exact code they were
// made from. V8 accepts cached data whose source has the same length, whatever its content, and
// flipped bytes in it can abort the process (a V8 fatal error, exit 133). So a cache file is named
// by the hash of its code and starts with a header that holds that hash, the Node version and the
// hash of the data; all three are checked before V8 sees a byte of it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { sha256 } = require('./stamp');

const MAGIC = 'tpm-code-cache 1';

/** The cache file of `file` whose code has the hash `hash`. */
const cacheFileOf = (file, hash) => `${file}.${hash.slice(0, 16)}.cache`;

/** Removes every code cache of `file` but the one for the code with hash `keep`. */
function removeCaches(file, keep = '') {
  const kept = keep && path.basename(cacheFileOf(file, keep));
  const base = path.basename(file);
  let names = [];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {}
  for (const name of names) if (name.startsWith(`${base}.`) && name.endsWith('.cache') && name !== kept) fs.rmSync(path.join(path.dirname(file), name), { force: true });
}

/** The cached data in `bytes` when it was made from the code with hash `hash` and is whole; else why not. */
function verify(bytes, hash) {
  const end = bytes.indexOf(10);
  const parts = end > 0 && end < 512 ? bytes.subarray(0, end).toString('latin1').split(' ') : [];
  if (parts.length !== 5 || `${parts[0]} ${parts[1]}` !== MAGIC) return { why: 'it has no header this runner wrote (damaged)' };
  const [, , codeHash, node, dataHash] = parts;
  if (codeHash !== hash) return { why: 'it was made from other code' };
  if (node !== process.version) return { why: `it was made by Node ${node}` };
  const data = bytes.subarray(end + 1);
  if (sha256(data) !== dataHash) return { why: 'its data does not match its checksum (damaged or cut short)' };
  return { data };
}

/**
 * Runs a CommonJS bundle ({ file, code, hash }) with `require`, from its code cache when there is
 * a sound one, and returns its exports. Without one, the cache is written when the process exits
 * (so it also holds the functions compiled lazily during the run), and only if `stillCurrent()`
 * then says this code is still the current build: a process that ran other code never writes it.
 */
function load(bundle, require, { say, stillCurrent, label }) {
  const cacheFile = cacheFileOf(bundle.file, bundle.hash);
  let cachedData;
  let bytes;
  try {
    bytes = fs.readFileSync(cacheFile);
  } catch {}
  if (bytes) {
    const checked = verify(bytes, bundle.hash);
    if (checked.data) cachedData = checked.data;
    else {
      say(`discarded ${label(cacheFile)}: ${checked.why}; it is rewritten when this run ends`);
      fs.rmSync(cacheFile, { force: true });
    }
  }
  const script = new vm.Script(Module.wrap(bundle.code), { filename: bundle.file, cachedData });
  if (cachedData && script.cachedDataRejected) say(`discarded ${label(cacheFile)}: V8 rejected it; it is rewritten when this run ends`);
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        if (!stillCurrent()) return;
        const data = script.createCachedData();
        removeCaches(bundle.file, bundle.hash);
        writeWhole(cacheFile, Buffer.concat([Buffer.from(`${MAGIC} ${bundle.hash} ${process.version} ${sha256(data)}\n`, 'latin1'), data]));
      } catch {
        // A read-only checkout runs without the cache.
      }
    });
  }
  const module = { exports: {}, filename: bundle.file, id: bundle.file, loaded: false };
  script.runInThisContext()(module.exports, require, module, bundle.file, path.dirname(bundle.file));
  return module.exports;
}

/** Writes a file whole or not at all: parallel runs never read half of one. */
function writeWhole(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

module.exports = { load, removeCaches, writeWhole, cacheFileOf };
