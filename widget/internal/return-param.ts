/**
 * The BFF sends the payer back with `?paysg_checkout={id}`. The widget reads it once and takes
 * it out of the address bar, so a bookmark or a shared link does not carry it.
 */
export const RETURN_PARAM = 'paysg_checkout';

export function takeReturnedCheckoutId(): string | undefined {
  const url = new URL(location.href);
  const id = url.searchParams.get(RETURN_PARAM);
  if (!id) return undefined;
  url.searchParams.delete(RETURN_PARAM);
  history.replaceState(history.state, '', url);
  return id;
}
