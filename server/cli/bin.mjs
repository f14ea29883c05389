#!/usr/bin/env node
// The `paysg-checkout` command. The package still runs its TypeScript through tsx; this launcher
// registers it and hands over to paysg-checkout.ts.
import { register } from 'tsx/esm/api';

register();
await import('./paysg-checkout.ts');
