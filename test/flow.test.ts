import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import { renderedPlatforms } from './helpers';

// The README's walk from a feature branch to prod names commands, files, branches and Argo CD
// objects: each must exist as the repository and the render have them, or the walk is fiction.

const root = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const start = readme.indexOf('\n## From a feature branch to prod\n');
const section = start < 0 ? '' : readme.slice(start, readme.indexOf('\n## ', start + 1));
const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
const envs = Object.keys(overlays);

describe('the README walks a change from a feature branch to prod', () => {
  it('has the section', () => {
    expect(section).toContain('Rolling back');
  });

  it('names the branch each env\'s Applications read, as the overlays set it', () => {
    for (const env of envs) {
      const branch = overlays[env].env.argocd!.targetRevision;
      expect(section, env).toContain(`\`dist/${env}/\` on \`${branch}\``);
    }
    // every branch it moves is one an env reads
    const moved = [...section.matchAll(/git push origin main:(\S+)/g)].map((m) => m[1].replace(/`$/, ''));
    expect(moved.length).toBeGreaterThan(0);
    for (const b of moved) expect(envs.map((e) => overlays[e].env.argocd!.targetRevision), b).toContain(b);
  });

  it('uses only npm scripts the package has, with the arguments they take', () => {
    const used = [...section.matchAll(/npm run ([a-z:]+)(?: -- ([^`|]+))?/g)];
    expect(used.length).toBeGreaterThan(0);
    for (const [, script, args] of used) {
      expect(Object.keys(scripts), script).toContain(script);
      if (script === 'promote') {
        const [platform, from, to] = args.trim().split(/\s+/);
        expect(platforms.map((p) => p.name)).toContain(platform);
        expect(envs).toContain(from);
        expect(envs).toContain(to);
      }
    }
  });

  it('names files and Argo CD Applications that exist', () => {
    for (const [, file] of section.matchAll(/`(overlays\/releases\/[a-z]+\.json|charts\/[a-z-]+\/index\.ts|\.ci\/run)`/g)) {
      expect(fs.existsSync(path.join(root, file)), file).toBe(true);
    }
    const apps = new Set(renderedPlatforms().objects.filter((o) => o.doc.kind === 'Application').map((o) => o.doc.metadata.name));
    const synced = [...section.matchAll(/argocd app (?:sync|history|rollback) ([a-z0-9-]+)/g)].map((m) => m[1]);
    expect(synced.length).toBeGreaterThan(0);
    for (const name of synced) expect([...apps], name).toContain(name);
  });
});
