/**
 * Ctrl-C (SIGINT) and SIGTERM while dist/ is written. Node runs a signal handler only when the
 * event loop turns, never in the middle of synchronous code such as the writer's: a handler that
 * is removed before the loop turns again loses the signal, and the process exits 0 as if nothing
 * had happened. So the writer holds both signals from before its first change until the loop has
 * turned after its last; then, if one came, it says what the write did and raises the signal
 * again, unheld, so that the process ends as the signal asked (exit status 130 or 143).
 */

/** What {@link holdSignals} returns. */
export interface HeldSignals {
  /**
   * Once the event loop has turned (and polled) again: stops holding and, if a signal came,
   * prints `describe(signal)` on stderr and raises the signal again.
   */
  settle(describe: (signal: NodeJS.Signals) => string): void;
}

// One pair of handlers for every hold in force (several writes in one process: the tests).
let holds = 0;
let held: NodeJS.Signals[] = [];
const hold = (signal: NodeJS.Signals) => held.push(signal);

/** Holds SIGINT and SIGTERM until {@link HeldSignals.settle} has run. */
export function holdSignals(): HeldSignals {
  if (holds++ === 0) {
    held = [];
    process.on('SIGINT', hold);
    process.on('SIGTERM', hold);
  }
  return {
    settle(describe) {
      // A signal is delivered in the loop's poll phase. The write may itself run inside one (after
      // an I/O callback), whose check phase comes next without another poll: so two immediates,
      // the second one a whole turn later, after a poll phase.
      setImmediate(() =>
        setImmediate(() => {
          if (--holds > 0) return;
          process.off('SIGINT', hold);
          process.off('SIGTERM', hold);
          const signal = held[0];
          if (!signal) return;
          process.stderr.write(`${describe(signal)}\n`);
          process.kill(process.pid, signal);
        }),
      );
    },
  };
}
