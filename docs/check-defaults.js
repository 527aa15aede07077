#!/usr/bin/env node
// After TypeDoc: every optional property of the documented API says its default (`@default`),
// and every property says what it does. Reads TypeDoc's JSON output (api/api.json).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, 'api', 'api.json');
const project = JSON.parse(fs.readFileSync(file, 'utf8'));
const problems = [];

const hasTag = (comment, tag) => (comment?.blockTags ?? []).some((t) => t.tag === tag);
const hasText = (comment) => (comment?.summary ?? []).some((p) => p.text.trim().length > 0);

/** The inline object types inside a type: `{ ... }`, arrays of them, unions and intersections. */
function inlineTypes(t) {
  if (!t) return [];
  if (t.type === 'reflection') return [t.declaration];
  return [...(t.types ?? []), ...(t.typeArguments ?? []), t.elementType, t.target].flatMap(inlineTypes);
}

/** Walks a reflection: properties of interfaces, classes and inline object types. */
function walk(node, where) {
  if (node.flags?.isExternal) return; // inherited from outside the library (Error.stack)
  const name = where ? `${where}.${node.name}` : node.name;
  // Property = 1024 in TypeDoc's ReflectionKind.
  if (node.kind === 1024) {
    const comment = node.comment;
    if (!hasText(comment)) problems.push(`${name}: says nothing about what it does`);
    if (node.flags?.isOptional && !hasTag(comment, '@default')) problems.push(`${name}: optional, but has no @default`);
  }
  for (const child of node.children ?? []) walk(child, name);
  for (const d of inlineTypes(node.type)) for (const child of d.children ?? []) walk(child, name);
}

for (const child of project.children ?? []) walk(child, '');
if (problems.length > 0) {
  process.stderr.write(`${problems.length} props of the public API are not documented as the README promises:\n  ${problems.join('\n  ')}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write('every prop of the public API says what it does, and every optional one its default\n');
}
