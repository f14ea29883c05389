/**
 * What every CSV export shares: the writer (csv-stringify, loaded before any byte is sent, so a
 * missing package is a clear error and not a cut-off file) and a stream that reads nothing until
 * the reader asks for the next chunk, so an export holds one page in memory however long it is.
 * @module
 */
import { optionalPackage } from '../optional-package.js';

/** Rows to CSV bytes: CRLF line ends (RFC 4180), and a byte-order mark when asked. */
export type CsvWriter = (rows: string[][], bom?: boolean) => Uint8Array;

export function csvWriter(): CsvWriter {
  const { stringify } = optionalPackage<typeof import('csv-stringify/sync')>(
    'csv-stringify/sync',
    'the back office’s CSV export',
  );
  const encoder = new TextEncoder();
  // `quote_record_delimiter`: csv-stringify stops quoting a lone CR or LF once a record delimiter
  // is given, and a value typed over two lines would then split its row in two.
  return (rows, bom = false) =>
    encoder.encode(
      stringify(rows, { bom, record_delimiter: 'windows', quote_record_delimiter: true }),
    );
}

/** A page size of 0 would never reach the end; a fraction would reach the store as a LIMIT. */
export function checkedPageSize(pageSize: number): number {
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new RangeError(`pageSize must be a positive integer, not ${pageSize}`);
  return pageSize;
}

/** The chunks as a stream with no read-ahead; cancelling it stops the generator (and its reads). */
export function pullStream(
  chunks: (stopped: AbortSignal) => AsyncGenerator<Uint8Array, void, undefined>,
): ReadableStream<Uint8Array> {
  const stopped = new AbortController();
  const generator = chunks(stopped.signal);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await generator.next();
        // The reader went away while this chunk was being made: nothing is left to give it to.
        if (stopped.signal.aborted) return;
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        stopped.abort();
        await generator.return(undefined);
      },
    },
    // No read-ahead: the store is read only when the reader asks for the next chunk.
    { highWaterMark: 0 },
  );
}
