/**
 * The languages fetched on demand say everything English says: the same texts, the same error
 * codes, and the same `{placeholders}`, so a payer never meets a missing or half-filled text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { en } from '../../widget/locales/en.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the languages', () => {
  for (const lang of ['zh', 'ms', 'ta']) {
    it(`${lang} has every English text, with the same placeholders`, () => {
      const texts = JSON.parse(
        readFileSync(new URL(`../../widget/locales/${lang}.json`, import.meta.url), 'utf8'),
      );
      assert.deepEqual(Object.keys(texts).sort(), Object.keys(en).sort());
      assert.deepEqual(Object.keys(texts.errors).sort(), Object.keys(en.errors).sort());
      for (const [key, text] of Object.entries(en)) {
        if (typeof text !== 'string') continue;
        assert.equal(typeof texts[key], 'string', key);
        assert.deepEqual(placeholders(texts[key]), placeholders(text), `${lang}.${key}`);
        if (key !== 'securedBy')
          assert.notEqual(texts[key], text, `${lang}.${key} is still English`);
      }
    });
  }
});
