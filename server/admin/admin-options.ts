/**
 * The back office's options from the configuration (`ADMIN_*`), for `paysg-checkout bff` and the
 * demo alike. Apart from the app, so the command knows them without loading the back office.
 * @module
 */
import type { AdminConfig } from '../config.js';
import type { AdminAppOptions } from './admin-app.js';

export function adminOptionsFrom(admin: AdminConfig): AdminAppOptions {
  const { token, oidc, staff, refundApprovalOverInCents, sessions, requestsPerMinute } = admin;
  return {
    ...(token && { token }),
    ...(oidc && {
      oidc: {
        issuer: oidc.issuer,
        clientId: oidc.clientId,
        ...(oidc.clientSecret && { clientSecret: oidc.clientSecret }),
      },
    }),
    staff,
    sessions,
    ...(refundApprovalOverInCents !== undefined && { refundApprovalOverInCents }),
    ...(requestsPerMinute !== undefined && { requestsPerMinute }),
  };
}
