/** The services the framework examples offer, and the one chosen, kept in the address bar (`?item=`). */
export const SERVICES: Record<string, string> = {
  'licence-renewal': 'Renew a hawker stall licence',
  'replacement-card': 'Replace a lost identity card',
};

export function chosenService(): string {
  const item = new URLSearchParams(location.search).get('item');
  return item && item in SERVICES ? item : 'licence-renewal';
}

/** Records the choice in the address bar (so Back from PaySG returns to it) and returns it. */
export function useService(item: string): string {
  const url = new URL(location.href);
  url.searchParams.set('item', item);
  history.replaceState(history.state, '', url);
  return item;
}
