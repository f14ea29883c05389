/**
 * Reads a JSON body against a zod schema and turns every failure into `invalid_request` with
 * field-level `issues`, never the library's own error format.
 * @module
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, type ErrorIssue } from '../errors.js';

/** Fatal: bytes that are not UTF-8 are refused, never turned into U+FFFD and sent on to PaySG. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let text: string;
  try {
    text = utf8.decode(await c.req.arrayBuffer());
  } catch {
    throw new ApiError(400, 'invalid_request', 'The body is not valid UTF-8');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_request', 'The body is not valid JSON');
  }
  return parseOrThrow(schema, body, 'The request body is not valid');
}

export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, message: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ApiError(400, 'invalid_request', message, { issues: toIssues(parsed.error) });
}

export function toIssues(error: z.ZodError): ErrorIssue[] {
  return error.issues.flatMap((issue): ErrorIssue[] => {
    // zod reports every unknown key in one issue; name each one so the client can fix it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...issue.path, key].join('.'),
        message: /amount/i.test(key)
          ? 'The amount is decided by the server and cannot be sent'
          : 'Unknown field',
      }));
    }
    return [{ path: issue.path.join('.') || '(body)', message: issue.message }];
  });
}
