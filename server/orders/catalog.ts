/**
 * The agency's price list: the server, never the browser, decides what an item costs.
 * Loaded from a JSON file and checked once at start.
 * @module
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MAX_AMOUNT_IN_CENTS } from '../paysg/schemas.js';

export const ITEM_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const catalogFileSchema = z
  .object({
    items: z.record(
      z.string().regex(ITEM_ID_PATTERN, 'item ids are lower-case letters, digits, - and _'),
      z
        .object({
          description: z.string().min(1).max(500),
          amountInCents: z.number().int().min(1).max(MAX_AMOUNT_IN_CENTS),
        })
        .strict(),
    ),
  })
  .strict();

export type CatalogFile = z.input<typeof catalogFileSchema>;

export interface CatalogItem {
  id: string;
  description: string;
  amountInCents: number;
  currency: 'SGD';
}

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
      const issue = parsed.error.issues[0]!;
      throw new CatalogError(`${issue.path.join('.') || 'catalog'}: ${issue.message}`);
    }
    const items = new Map<string, CatalogItem>();
    for (const [id, item] of Object.entries(parsed.data.items)) {
      items.set(id, { id, ...item, currency: 'SGD' });
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
