/**
 * A submission's answers by field id, the same whatever FormSG version encrypted them: v2.1
 * sends a list of `{_id, question, fieldType, answer | answerArray}`, v3 and v4 a record of
 * `{fieldType, answer}` keyed by field id, where `answer` may be a string, a list or an object
 * (`{value, othersInput}` for a choice with "Others"). Rules map answers by field id, never by
 * question text: an agency may reword a question without changing what it means, and two
 * questions may read alike.
 *
 * Every answer is trimmed, as a payer's stray space is never part of what they meant. Answers
 * that have no text (section headers, statements, images, attachments) are left out.
 * @module
 */
import type { DecryptedV2, DecryptedV3 } from './formsg-sdk.js';

export interface FormsgAnswer {
  fieldType: string;
  /** The question as the form asked it (v2.1 only), for people reading a record; never matched on. */
  question?: string;
  /** The answer's text, trimmed; checkbox values joined with ", ", table rows with "; ". */
  answer: string;
}

/** Field types whose "answer" is not something the payer wrote or chose. */
const NOT_ANSWERS = new Set(['section', 'statement', 'image', 'attachment']);

function joined(values: unknown[]): string | undefined {
  const parts = values.map(textOf);
  if (parts.some((p) => p === undefined)) return undefined;
  return (parts as string[]).filter((p) => p !== '').join(', ');
}

/** The text of a v3 answer; `undefined` when it has none a rule could read. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return joined(value);
  if (typeof value === 'object' && value !== null && 'value' in value) {
    // A choice with an "Others" box: the box's text when it was picked.
    const { value: chosen, othersInput } = value as { value: unknown; othersInput?: unknown };
    const text = textOf(chosen);
    const others = typeof othersInput === 'string' ? othersInput.trim() : '';
    return others ? [text, others].filter(Boolean).join(', ') : text;
  }
  return undefined;
}

/** Checkbox values joined with ", "; a table's rows (lists of cells) joined with "; ". */
function answerArrayText(values: string[] | string[][]): string | undefined {
  if (values.every((v) => typeof v === 'string')) return joined(values);
  const rows = values.map((row) => (Array.isArray(row) ? joined(row) : textOf(row)));
  if (rows.some((r) => r === undefined)) return undefined;
  return rows.filter((r) => r).join('; ');
}

export function answersFromV2(responses: DecryptedV2['responses']): Map<string, FormsgAnswer> {
  const answers = new Map<string, FormsgAnswer>();
  for (const field of responses) {
    if (field.isHeader || NOT_ANSWERS.has(field.fieldType)) continue;
    const answer =
      typeof field.answer === 'string'
        ? field.answer.trim()
        : Array.isArray(field.answerArray)
          ? answerArrayText(field.answerArray)
          : undefined;
    if (answer === undefined) continue;
    answers.set(field._id, { fieldType: field.fieldType, question: field.question, answer });
  }
  return answers;
}

export function answersFromV3(responses: DecryptedV3['responses']): Map<string, FormsgAnswer> {
  const answers = new Map<string, FormsgAnswer>();
  for (const [fieldId, field] of Object.entries(responses)) {
    if (NOT_ANSWERS.has(field.fieldType)) continue;
    const answer = textOf(field.answer);
    if (answer === undefined) continue;
    answers.set(fieldId, { fieldType: field.fieldType, answer });
  }
  return answers;
}
