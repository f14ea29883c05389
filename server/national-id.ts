/**
 * Singapore's national identity numbers (NRIC for citizens and residents, FIN for foreigners):
 * the one pattern that finds them, for the log's redaction and the terminal's masking alike.
 * @module
 */

/** An NRIC/FIN (`S1234567A`) in running text: a log line, a line printed to the terminal. */
export const NRIC_FIN_PATTERN = /\b[STFGM]\d{7}[A-Z]\b/gi;
