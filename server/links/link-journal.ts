/**
 * The journal of the links made at one PaySG payment service
 * (`data/links/{service}@{host}.journal.jsonl`): one JSON line per step, keyed by reference,
 * written and flushed to disk before each call to PaySG and after each answer. PaySG keeps
 * Idempotency-Keys for 24 hours only; the journal is what makes a rerun a week later, or after the process was
 * killed, create nothing twice and send no e-mail twice.
 * @module
 */
import { closeSync, existsSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { present } from '../present.js';

/** The journal's lines, read a piece at a time: a journal of 50,000 links is tens of megabytes. */
function* linesOf(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    const decoder = new StringDecoder('utf8');
    let partial = '';
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      const lines = (partial + decoder.write(buffer.subarray(0, read))).split('\n');
      partial = lines.pop() ?? '';
      yield* lines;
    }
    yield partial + decoder.end();
  } finally {
    closeSync(fd);
  }
}

export type JournalStep =
  /** About to create, with this Idempotency-Key. */
  | 'sending'
  /** PaySG made the payment. */
  | 'created'
  /** PaySG answered with its own 500/503, which it stores under the key: the next try uses the next key. */
  | 'failed_stored'
  /** PaySG refused the request: nothing was made. */
  | 'refused'
  /** About to ask PaySG to e-mail the link. */
  | 'emailing'
  | 'emailed';

export interface JournalEntry {
  reference: string;
  step: JournalStep;
  at: string;
  /** Of the row as created, so a row changed since is never taken for the same link. */
  fingerprint?: string;
  key?: string;
  attempt?: number;
  paymentId?: string;
  paymentUrl?: string;
  error?: string;
}

/** What the journal knows of one reference: its latest steps folded together. */
export interface LinkState {
  fingerprint?: string;
  attempt: number;
  /** `sending` without an answer: PaySG may or may not have made it. */
  inFlight?: { key: string; at: string };
  paymentId?: string;
  paymentUrl?: string;
  refused?: string;
  emailing: boolean;
  emailed: boolean;
}

export class LinkJournal {
  readonly path: string;
  readonly #states = new Map<string, LinkState>();
  readonly #settled = new Set<string>();
  #fd: number | undefined;

  readonly #now: () => Date;

  /** `now` is injected by tests, to be a week later. */
  constructor(path: string, now: () => Date = () => new Date()) {
    this.path = path;
    this.#now = now;
    if (existsSync(path)) for (const line of linesOf(path)) this.#read(line);
  }

  #read(line: string): void {
    if (!line.trim()) return;
    try {
      this.#apply(JSON.parse(line) as JournalEntry);
    } catch {
      // A line cut short by a crash mid-write: the step it recorded did not complete.
    }
  }

  now(): Date {
    return this.#now();
  }

  state(reference: string): LinkState {
    if (this.#settled.has(reference))
      throw new Error(
        `the journal no longer holds ${reference} in memory (settle was called for it)`,
      );
    return this.#states.get(reference) ?? { attempt: 1, emailing: false, emailed: false };
  }

  /**
   * Lets go of what memory holds of a reference this run is done with (the file keeps every step):
   * a bulk run meets each reference once, so 50,000 rows need not hold 50,000 states. Asking for
   * its state afterwards is a mistake, and throws.
   */
  settle(reference: string): void {
    this.#states.delete(reference);
    this.#settled.add(reference);
  }

  /** Appends one step and waits for the disk, so it survives a crash right after. */
  record(entry: Omit<JournalEntry, 'at'>): void {
    const full: JournalEntry = { ...entry, at: this.#now().toISOString() };
    this.#fd ??= openSync(this.path, 'a');
    writeSync(this.#fd, `${JSON.stringify(full)}\n`);
    fsyncSync(this.#fd);
    this.#apply(full);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #apply(entry: JournalEntry): void {
    const state = { ...this.state(entry.reference) };
    switch (entry.step) {
      case 'sending':
        state.fingerprint = entry.fingerprint;
        state.attempt = entry.attempt ?? state.attempt;
        state.inFlight = { key: present(entry.key, 'the key of a sending entry'), at: entry.at };
        break;
      case 'created':
        state.inFlight = undefined;
        state.paymentId = entry.paymentId;
        state.paymentUrl = entry.paymentUrl;
        state.refused = undefined;
        break;
      case 'failed_stored':
        state.inFlight = undefined;
        state.attempt = (entry.attempt ?? state.attempt) + 1;
        break;
      case 'refused':
        state.inFlight = undefined;
        state.refused = entry.error;
        break;
      case 'emailing':
        state.emailing = true;
        break;
      case 'emailed':
        state.emailing = false;
        state.emailed = true;
        break;
    }
    this.#states.set(entry.reference, state);
  }
}
