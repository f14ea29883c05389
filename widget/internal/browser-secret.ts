/**
 * The random secret that makes this browser the owner of the checkouts it starts (DESIGN.md,
 * non-negotiable 7): sent as `X-PaySG-Browser`, stored by the BFF only as a hash. localStorage,
 * so every tab of the browser shares it and two tabs meet one checkout; where storage is blocked,
 * it lives as long as the page. A v4 UUID: 122 random bits, in the characters the BFF accepts.
 */
const KEY = 'paysg-checkout:browser';
const PATTERN = /^[A-Za-z0-9_-]{22,128}$/;
let forThisPage: string | undefined;

export function browserSecret(): string {
  forThisPage ??= crypto.randomUUID();
  try {
    const stored = localStorage.getItem(KEY);
    if (stored && PATTERN.test(stored)) return stored;
    localStorage.setItem(KEY, forThisPage);
  } catch {
    // Storage blocked or full: this page keeps its own.
  }
  return forThisPage;
}
