/**
 * Where the back office lives, below the BFF's base path: `{base}/admin/` (`/paysg/admin/`).
 * Apart, so the command knows the path without loading the back office.
 */
export const ADMIN_PATH = '/admin';
