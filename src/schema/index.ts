// The input schemas' building blocks and checks: overlays, release files and chart settings.
export { strict, list, names, labels, keysAt, keysOnly } from './shape';
export { inputProblems, didYouMean, formatPath } from './check';
export type { CheckedInput, SettingsSchema } from './check';
