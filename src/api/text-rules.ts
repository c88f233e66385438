/**
 * Rules of the free-text fields of request bodies, written as regular expressions so that zod enforces them and
 * the OpenAPI document shows them as `pattern`s: a caller reads in the document exactly what the route refuses.
 *
 * A length limit goes before `.trim()` in a schema: the document's `maxLength` is about the string as sent, so the
 * route checks the string as sent (41 characters that trim to 40 are refused, as the document says).
 */

/** Postgres text cannot hold NUL (0x00); a field that is stored refuses it at validation rather than at insert. */
// eslint-disable-next-line no-control-regex -- NUL is the one character this pattern exists to refuse.
export const NO_NUL = /^[^\u0000]*$/;
export const NO_NUL_MESSAGE = 'must not contain NUL characters';

/** A field that is trimmed before use must keep something: it may not be blank. */
export const NOT_BLANK = /\S/;
export const NOT_BLANK_MESSAGE = 'must not be blank';

/** At least three characters once trimmed: two non-blank characters with at least one between them. */
export const AT_LEAST_3_TRIMMED = /\S[\s\S]+\S/;
export const AT_LEAST_3_TRIMMED_MESSAGE = 'must be at least 3 characters';
