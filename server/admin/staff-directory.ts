/**
 * Who may use the back office, and with which role: people listed by e-mail (`ADMIN_STAFF`), or
 * given a role by the identity provider in a claim (`ADMIN_ROLE_CLAIM`). Everyone else who signs
 * in at the identity provider is refused here. The `refund` role includes `view`.
 * @module
 */
import { present } from '../present.js';
import type { StaffRole } from '../storage/staff-records.js';

export interface StaffDirectory {
  /** Lower-case e-mail → role. */
  byEmail: ReadonlyMap<string, StaffRole>;
  /** A claim (string or list of strings) holding `paysg-checkout-refund` or `paysg-checkout-view`. */
  roleClaim?: string;
}

/** What a role claim's value must be for each role. */
export const ROLE_CLAIM_VALUES: Readonly<Record<StaffRole, string>> = {
  view: 'paysg-checkout-view',
  refund: 'paysg-checkout-refund',
};

/**
 * `alice@agency.gov.sg:refund, bob@agency.gov.sg:view` → a map. Throws with the entry that is
 * wrong, so the configuration error names it.
 */
export function parseStaffList(text: string): Map<string, StaffRole> {
  const staff = new Map<string, StaffRole>();
  for (const entry of text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([^\s:@]+@[^\s:@]+):(view|refund)$/i.exec(entry);
    if (!match)
      throw new Error(
        `entry ${JSON.stringify(entry)} must look like person@agency.gov.sg:refund or person@agency.gov.sg:view`,
      );
    const [, email, role] = match;
    staff.set(
      present(email, 'the entry’s e-mail').toLowerCase(),
      present(role, 'the entry’s role').toLowerCase() as StaffRole,
    );
  }
  return staff;
}

/**
 * The roles of a person from their ID token's claims: by e-mail only when the provider does
 * not say the address is unverified, and by the role claim. Empty: not staff.
 */
export function rolesFor(directory: StaffDirectory, claims: Record<string, unknown>): StaffRole[] {
  const granted = new Set<StaffRole>();
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined;
  if (email && claims.email_verified !== false) {
    const role = directory.byEmail.get(email);
    if (role) granted.add(role);
  }
  if (directory.roleClaim) {
    const value = claims[directory.roleClaim];
    const values = Array.isArray(value) ? value : [value];
    for (const role of ['view', 'refund'] as const)
      if (values.includes(ROLE_CLAIM_VALUES[role])) granted.add(role);
  }
  if (granted.has('refund')) granted.add('view');
  return (['view', 'refund'] as const).filter((r) => granted.has(r));
}
