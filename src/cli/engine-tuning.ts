// V8 tuned for the run at hand, in the command-line program's own process only (never the web server's, never a test's).

let ownProcess = false;

/** Called first by bin/hazard-notice.js: this process runs one command and ends, so a command may tune V8 for it. */
export function runsAsCommand(): void {
  ownProcess = true;
}

/**
 * Runs the rest of this process, worker threads included (V8's flags are per process), without V8's optimising
 * compiler (TurboFan): a run of a few seconds spends more CPU compiling than the compiled code saves. Measured on
 * this 2-core machine, alternating runs: a 300-row batch 4.2 → 3.1 s CPU (2.5 → 2.0 s), the 20-row sample 1.10 →
 * 0.83 s CPU, a single letter 0.36 → 0.34 s CPU; from about 1,000 letters TurboFan pays for itself (10,000: 35 %
 * slower without it). Called before a command starts its work, while nothing has been optimised yet.
 */
export function forgoOptimisingCompiler(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when used (a look-up never does)
  if (ownProcess) (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--no-turbofan');
}
