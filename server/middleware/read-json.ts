/**
 * Reads a JSON body against a zod schema and turns every failure into `invalid_request` with
 * field-level `issues`, never the library's own error format.
 * @module
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../errors.js';
import { issuesOf } from '../zod-issues.js';

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
  throw new ApiError(400, 'invalid_request', message, {
    issues: issuesOf(parsed.error, '(body)'),
  });
}
