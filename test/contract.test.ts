import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderedPlatforms } from './helpers';

// Construct ids and object names are a public contract: renaming a construct renames a live
// Kubernetes object (Argo CD prunes the old one and creates a new one; a StatefulSet's volumes
// stay behind with the old name). This test fails when an object of the committed list no
// longer renders. To rename on purpose, regenerate the list and say why in the commit:
//   UPDATE_CONTRACT=1 npx vitest run test/contract.test.ts

const FILE = path.join(__dirname, 'contract', 'object-names.txt');

/** `<env>/<platform>/<Kind>/<name>`, with content hashes (`migrate-1a2b…`) as `<hash>`. */
function names(): string[] {
  const { objects } = renderedPlatforms();
  return [...new Set(objects.map((o) => `${o.env}/${o.platform}/${o.doc.kind}/${String(o.doc.metadata.name).replace(/-[0-9a-f]{10}$/, '-<hash>')}`))].sort();
}

describe('object names', () => {
  it('keeps every object of the committed list', () => {
    const now = names();
    if (process.env.UPDATE_CONTRACT) fs.writeFileSync(FILE, `${now.join('\n')}\n`);
    const committed = fs.readFileSync(FILE, 'utf8').split('\n').filter(Boolean);
    const gone = committed.filter((n) => !now.includes(n));
    expect(gone, `these objects no longer render (renamed or removed); if that is meant, run UPDATE_CONTRACT=1 npx vitest run test/contract.test.ts`).toEqual([]);
  });
});
