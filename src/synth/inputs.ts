import { show } from '../checks';
import { environmentSchema } from '../environment';
import { inputProblems, SettingsSchema } from '../schema/check';

/** What {@link overlayProblems} found. */
export interface OverlayProblems {
  /** One line per problem: `<env>: env.<path>: …`, `<env>/<platform>: <path>: …`. */
  readonly lines: readonly string[];
  /** `<env>` and `<env>/<platform>` whose input is wrong: nothing of them may be built. */
  readonly failed: ReadonlySet<string>;
}

/**
 * Every problem of the overlays of `envs` against their schemas: the env settings (the library's
 * {@link environmentSchema}) and each platform's settings (its `settings` schema). The overlay's
 * own keys are the app's to check (a render may cover some of its platforms only): pass its
 * schema as one of render's `inputs`.
 */
export function overlayProblems(
  overlays: Readonly<Record<string, unknown>>,
  platforms: ReadonlyArray<{ readonly name: string; readonly settings?: SettingsSchema }>,
  envs: readonly string[],
): OverlayProblems {
  const out: string[] = [];
  const failed = new Set<string>();
  const add = (scope: string, lines: readonly string[]) => {
    if (lines.length > 0) failed.add(scope);
    out.push(...lines);
  };
  for (const envName of envs) {
    const overlay = overlays[envName];
    if (overlay === null || typeof overlay !== 'object' || Array.isArray(overlay)) {
      add(envName, [`${envName}: the overlay is ${show(overlay)}; expected an object with env and each platform's settings`]);
      continue;
    }
    const o = overlay as Record<string, unknown>;
    add(envName, inputProblems(environmentSchema, o.env, envName, ['env']));
    for (const p of platforms) {
      if (!p.settings) continue;
      const where = `${envName}/${p.name}`;
      if (o[p.settings.key] === undefined) add(where, [`${where}: ${p.settings.key}: required; the overlay has no settings for this platform`]);
      else add(where, inputProblems(p.settings.schema, o[p.settings.key], where));
    }
  }
  return { lines: out, failed };
}
