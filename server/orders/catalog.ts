/**
 * The agency's price list: the server, never the browser, decides what an item costs. An item
 * has a fixed fee (optionally broken into line items that add up to it) or lets the payer
 * choose an amount between a minimum and a maximum (donations, top-ups). Checked once at start.
 * @module
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MAX_AMOUNT_IN_CENTS } from '../paysg/schemas.js';
import { firstIssue } from '../zod-issues.js';
import type { LineItem } from './order.js';

export const ITEM_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const cents = z.number().int().min(1).max(MAX_AMOUNT_IN_CENTS);
const description = z.string().min(1).max(500);
const lineItemDescription = z.string().min(1).max(255);
const lineItemSchema = z
  .object({ description: lineItemDescription, amountInCents: cents })
  .strict();

/**
 * The item's texts in Singapore's other official languages, for the payer to read. PaySG and
 * the agency's records get `description` (English) whatever the payer's language.
 */
function translationsSchema<T extends z.ZodType>(translation: T) {
  return z
    .object({ zh: translation, ms: translation, ta: translation })
    .partial()
    .strict()
    .optional();
}
const fixedTranslationsSchema = translationsSchema(
  z.object({ description, lineItems: z.array(lineItemDescription).optional() }).strict(),
);
const variableTranslationsSchema = translationsSchema(z.object({ description }).strict());

/**
 * `requiresReference: true`: the item is paid once per reference the page gives (a licence, a
 * fine), so a checkout without one is refused rather than made a new order each time.
 */
const requiresReference = z.boolean().optional();

const fixedItemSchema = z
  .object({
    description,
    amountInCents: cents,
    lineItems: z.array(lineItemSchema).min(1).optional(),
    requiresReference,
    translations: fixedTranslationsSchema,
  })
  .strict()
  .refine(
    (i) =>
      !i.lineItems || i.lineItems.reduce((sum, l) => sum + l.amountInCents, 0) === i.amountInCents,
    {
      message: 'line items must add up to amountInCents',
      path: ['lineItems'],
    },
  )
  .superRefine((i, ctx) => {
    for (const [lang, translation] of Object.entries(i.translations ?? {})) {
      if (translation.lineItems && translation.lineItems.length !== (i.lineItems?.length ?? 0)) {
        ctx.addIssue({
          code: 'custom',
          message: 'needs one text per line item, in the same order',
          path: ['translations', lang, 'lineItems'],
        });
      }
    }
  });

const variableItemSchema = z
  .object({
    description,
    minAmountInCents: cents,
    maxAmountInCents: cents,
    requiresReference,
    translations: variableTranslationsSchema,
  })
  .strict()
  .refine((i) => i.minAmountInCents <= i.maxAmountInCents, {
    message: 'minAmountInCents is above maxAmountInCents',
    path: ['minAmountInCents'],
  });

const catalogFileSchema = z
  .object({
    items: z.record(
      z.string().regex(ITEM_ID_PATTERN, 'item ids are lower-case letters, digits, - and _'),
      z.union([fixedItemSchema, variableItemSchema]),
    ),
  })
  .strict();

export type CatalogFile = z.input<typeof catalogFileSchema>;

/** A text in the payer's language: the description and, in order, the line items'. */
export interface Translation {
  description: string;
  lineItems?: string[] | undefined;
}

export type Translations = Partial<Record<'zh' | 'ms' | 'ta', Translation>>;

interface CatalogItemBase {
  id: string;
  description: string;
  currency: 'SGD';
  /** A checkout must name the agency's reference for it (one payment per reference). */
  requiresReference: boolean;
  translations: Translations;
}

export type CatalogItem =
  | (CatalogItemBase & { kind: 'fixed'; amountInCents: number; lineItems: LineItem[] })
  | (CatalogItemBase & { kind: 'variable'; minAmountInCents: number; maxAmountInCents: number });

export class CatalogError extends Error {
  override name = 'CatalogError';
}

export class Catalog {
  readonly #items: Map<string, CatalogItem>;

  private constructor(items: Map<string, CatalogItem>) {
    this.#items = items;
  }

  /** Throws `CatalogError` with a one-line reason when the data is not a valid catalog. */
  static from(data: unknown): Catalog {
    const parsed = catalogFileSchema.safeParse(data);
    if (!parsed.success) {
      // An item that is neither kind is said as the kind it is closest to.
      const issue = firstIssue(parsed.error, 'catalog');
      throw new CatalogError(`${issue.path}: ${issue.message}`);
    }
    const items = new Map<string, CatalogItem>();
    for (const [id, item] of Object.entries(parsed.data.items)) {
      const base: CatalogItemBase = {
        id,
        description: item.description,
        currency: 'SGD',
        requiresReference: item.requiresReference ?? false,
        translations: item.translations ?? {},
      };
      items.set(
        id,
        'amountInCents' in item
          ? {
              ...base,
              kind: 'fixed',
              amountInCents: item.amountInCents,
              lineItems: item.lineItems ?? [],
            }
          : {
              ...base,
              kind: 'variable',
              minAmountInCents: item.minAmountInCents,
              maxAmountInCents: item.maxAmountInCents,
            },
      );
    }
    return new Catalog(items);
  }

  static fromFile(path: string): Catalog {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new CatalogError(`cannot read ${path}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new CatalogError(`${path} is not valid JSON`);
    }
    return Catalog.from(data);
  }

  get(id: string): CatalogItem | undefined {
    return this.#items.get(id);
  }
}
