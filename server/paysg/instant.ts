/**
 * An instant as PaySG may write it: ISO 8601 text, or a number of seconds or milliseconds since
 * 1970 (FormSG's own types declare PaySG's timestamps `string | number`; webhook events carry
 * `created` in epoch ms or `created_at` as ISO). Read to epoch milliseconds.
 * @module
 */

/**
 * Epoch milliseconds, or undefined when `value` is not an instant. A number under 10^12 is seconds:
 * in milliseconds it would be before 2001-09-09, before any PaySG payment or event.
 */
export function instantOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0)
    return value < 1e12 ? value * 1000 : value;
  if (typeof value === 'string' && value.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(value.trim())) return instantOf(Number(value));
    const parsed = Date.parse(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}
