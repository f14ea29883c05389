/**
 * Payer details as the BFF accepts them, from the page or in an order token: PaySG's limits
 * (create-a-payment page), checked once here for both.
 * @module
 */
import { z } from 'zod';
import { isEmailAddress } from '../paysg/email-address.js';

export const payerDetailsSchema = z
  .object({
    name: z.string().trim().min(1).max(255).optional(),
    // The rules the PaySG client checks before sending (`email-address.ts`), so an address taken
    // here never fails on its way to PaySG.
    email: z.string().max(255).refine(isEmailAddress, 'is not an e-mail address').optional(),
    // NRIC/FIN or UEN; PaySG accepts 20 (paysg-api.md §16.3), though its guide still says 10.
    identifier: z.string().trim().min(1).max(20).optional(),
    address: z.string().trim().min(1).max(255).optional(),
  })
  .strict();
