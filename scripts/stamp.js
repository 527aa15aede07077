// Content stamps for the runner's bundles (see bundled.js): what a bundle was built from, by hash.
//   - An esbuild plugin reads every file the build loads, hashes those bytes and hands the same
//     bytes to esbuild, so a stamp never names content the bundle was not compiled from: a file
//     edited while the build runs is simply stale on the next run.
//   - A stamp file is one JSON line and its own SHA-256: damage of any kind is told from staleness.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

// esbuild's own loaders for the extensions it resolves; any other file fails the build.
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.json': 'json' };

/** An esbuild plugin that loads every file itself: `hashes` gets each path (relative to `root`) and the hash of the bytes esbuild compiled. */
function hashingPlugin(root, hashes) {
  return {
    name: 'content-stamp',
    setup(build) {
      build.onLoad({ filter: /.*/, namespace: 'file' }, async (args) => {
        const loader = LOADERS[path.extname(args.path)];
        if (!loader) return { errors: [{ text: `the runner has no loader for ${path.relative(root, args.path)}` }] };
        const contents = await fs.promises.readFile(args.path);
        hashes.set(path.relative(root, args.path).split(path.sep).join('/'), sha256(contents));
        return { contents, loader };
      });
    },
  };
}

/**
 * The names in each folder that holds an input: a new file that would change how an import
 * resolves (`x.ts` next to `x/index.ts`) changes it.
 */
function folderListing(root, inputs) {
  const folders = [...new Set(inputs.map((rel) => path.posix.dirname(rel)))].sort();
  const lines = folders.map((folder) => {
    try {
      return `${folder}\0${fs.readdirSync(path.join(root, folder)).sort().join('\0')}`;
    } catch {
      return `${folder}\0missing`;
    }
  });
  return sha256(lines.join('\n'));
}

/** True when every input still has the content the stamp recorded (and, with `folders`, its folders the same names). */
function inputsCurrent(root, stamp) {
  for (const [rel, hash] of Object.entries(stamp.inputs)) {
    let data;
    try {
      data = fs.readFileSync(path.join(root, rel));
    } catch {
      return false;
    }
    if (sha256(data) !== hash) return false;
  }
  return stamp.folders === undefined || stamp.folders === folderListing(root, Object.keys(stamp.inputs));
}

/** The text of a stamp file: the stamp as one JSON line, then that line's SHA-256. */
function stampText(stamp) {
  const json = JSON.stringify(stamp);
  return `${json}\n${sha256(json)}\n`;
}

/** The stamp in `text`, or undefined when it is damaged (cut, edited, not one this runner wrote). */
function parseStamp(text) {
  const [json, sum, rest] = text.split('\n');
  if (rest !== '' || sha256(json) !== sum) return undefined;
  try {
    const stamp = JSON.parse(json);
    return typeof stamp.key === 'string' && typeof stamp.bundle === 'string' && stamp.inputs && typeof stamp.inputs === 'object' ? stamp : undefined;
  } catch {
    return undefined;
  }
}

module.exports = { sha256, hashingPlugin, folderListing, inputsCurrent, stampText, parseStamp };
