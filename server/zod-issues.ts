/**
 * What a failed zod parse says, in our words, for every place that reports one: field-level
 * issues for the error body (`{path, message}`, the path dotted, as `ErrorIssue` in errors.ts),
 * and the first issue for a thrown message or a line in the terminal. Never the library's own
 * error format.
 * @module
 */
import type { z } from 'zod';

/** One field-level problem, path in dotted form (`payer.email`); `whole` when it is the value itself. */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * Every issue, for an error body. zod reports every unknown key in one issue: each is named, so
 * the client can fix it, and an amount among them is said to be the server's to decide.
 */
export function issuesOf(error: z.ZodError, whole: string): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...issue.path, key].join('.'),
        message: /amount/i.test(key)
          ? 'The amount is decided by the server and cannot be sent'
          : 'Unknown field',
      }));
    }
    return [{ path: dotted(issue.path, whole), message: issue.message }];
  });
}

/**
 * The first issue, for a one-line message. A value that is none of a union's kinds fails as
 * "Invalid input": the issue is said instead as the kind it is closest to (the branch with the
 * fewest problems), naming that branch's own field.
 */
export function firstIssue(error: z.ZodError, whole: string): FieldIssue {
  let issue: z.core.$ZodIssue | undefined = error.issues[0];
  let path: PropertyKey[] = [...(issue?.path ?? [])];
  while (issue?.code === 'invalid_union' && issue.errors.length > 0) {
    const closest: z.core.$ZodIssue[] = issue.errors.reduce((best, branch) =>
      branch.length < best.length ? branch : best,
    );
    issue = closest[0];
    path = [...path, ...(issue?.path ?? [])];
  }
  return { path: dotted(path, whole), message: issue?.message ?? 'Invalid input' };
}

function dotted(path: readonly PropertyKey[], whole: string): string {
  return path.map(String).join('.') || whole;
}
