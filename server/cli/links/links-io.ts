/**
 * What the links commands read and write, injected so tests run them in-process.
 * @module
 */

/** Where the command writes, and what it knows of the terminal. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when `err` is a terminal (progress is drawn in place). */
  errIsTty: boolean;
  /** True when `out` is a terminal (QR codes are drawn). */
  outIsTty: boolean;
  env: Record<string, string | undefined>;
  /** Asks the person at the terminal and resolves to their answer; absent when no one can answer (a pipe, a script). */
  ask?: (question: string) => Promise<string>;
}

/** Bad usage: printed with a pointer to the command's help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
