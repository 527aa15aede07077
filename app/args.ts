/** The app's command line: its usage, as users call it, and synth's flags. */

/** What `--help` prints, and what follows a wrong argument. */
export const USAGE = [
  'usage:',
  '  npx cdk8s synth                 render every env into dist/ (writes only when all of it is valid)',
  '  npm run synth -- [--env NAME]... [--platform NAME]...',
  '                                  the same without the cdk8s CLI; with flags, write only those envs',
  '                                  or platform folders (every env is still rendered and checked)',
  '  npm run diff                    what a render would change in dist/, per object and field; exit 1 if anything',
  '  npm run promote -- <platform> <from-env> <to-env>',
  '  npm run release -- <platform> <service> <image@sha256:digest>',
  '  npm run pin -- <env> [--registry <registry>=<url>]...',
  '                                  record the digest of every tag of the env\'s release file, as its',
  '                                  registry names it now (--registry: read a registry from a mirror)',
  '  npm run synth -- --help         this text',
  'a flag takes its value as "--env prod" or "--env=prod"',
].join('\n');

/** Synth's flags, read. */
export interface SynthArgs {
  /** Envs to write (`--env`); empty: every env. */
  readonly envs: readonly string[];
  /** Platform folders to write (`--platform`); empty: every folder. */
  readonly platforms: readonly string[];
}

const FLAGS: Record<string, keyof SynthArgs> = { '--env': 'envs', '--platform': 'platforms' };

/** Whether the arguments ask for the usage. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h');
}

/** Reads synth's flags (`--env prod`, `--env=prod`, repeatable), or says what is wrong with them. */
export function parseSynthArgs(argv: readonly string[]): SynthArgs | { readonly problem: string } {
  const out: Record<keyof SynthArgs, string[]> = { envs: [], platforms: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = FLAGS[flag];
    if (!key) return { problem: `unknown argument "${arg}"` };
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return { problem: `${flag} needs a name, as "${flag} NAME" or "${flag}=NAME"` };
    out[key].push(value);
  }
  return out;
}
