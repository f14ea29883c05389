/** Where `paysg-checkout bff` and the demo serve the back office's API. Apart, so the command knows the path without loading the app. */
export const ADMIN_API_PATH = '/admin/api';
