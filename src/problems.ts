import { IConstruct } from 'constructs';

/**
 * Collects what is wrong with a construct's input, field by field, so that synth can report
 * every problem of every construct at once instead of stopping at the first one.
 *
 * Each problem is registered as a construct validation: the synth pipeline reads them with
 * the construct path and prefixes the env, giving `prod/peripheral/backend: image: ...`.
 */
export class Problems {
  private readonly found: string[] = [];

  /** Records `message` against `field` when `message` is a string; ignores `undefined`. */
  public check(field: string, message: string | undefined): void {
    const line = `${field}: ${message}`;
    if (message !== undefined && !this.found.includes(line)) this.found.push(line);
  }

  /** Records every message in `messages` against `field`. */
  public checkAll(field: string, messages: readonly string[]): void {
    for (const m of messages) this.check(field, m);
  }

  /**
   * Registers the recorded problems on `scope` and says whether there were any, so a
   * constructor can `if (problems.report(this)) return;` before it renders anything.
   */
  public report(scope: IConstruct): boolean {
    if (this.found.length === 0) return false;
    const found = [...this.found];
    scope.node.addValidation({ validate: () => found });
    return true;
  }
}

/** Error thrown by the synth pipeline: one line per problem, nothing written. */
export class InputError extends Error {
  public constructor(
    /** Every problem, one line each, prefixed with env and construct path. */
    public readonly problems: readonly string[],
  ) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the input, nothing was written:\n  ${problems.join('\n  ')}`);
    this.name = 'InputError';
  }
}
