// What a text costs as it is typed, before it is saved or sent: the browser's copy of src/consent/footer.ts and
// src/consent/sms-segments.ts (the server's rules are the ones that count). test/console/sms-preview.test.ts
// compares the two on many strings, so a change to one that is not made to the other fails the build.

/** The footer every outbound text ends with. */
export const FOOTER = 'Reply STOP to opt-out of future text communications.';

/** An account text may cost at most this many segments, footer included (src/consent/template-rules.ts). */
export const MAX_SYSTEM_TEXT_SEGMENTS = 3;

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';
const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

/**
 * @typedef {object} SegmentInfo
 * @property {'GSM-7' | 'UCS-2'} encoding
 * @property {number} units length in the encoding's units (GSM-7 septets or UTF-16 code units)
 * @property {number} segments SMS segments billed
 */

/**
 * The body with the footer appended once; a footer already in the body is taken out first.
 * @param {string} body
 * @returns {string}
 */
export function withFooter(body) {
  const withoutFooter = body
    .split(FOOTER)
    .join(' ')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
  return withoutFooter.length === 0 ? FOOTER : `${withoutFooter}\n${FOOTER}`;
}

/**
 * Segments and encoding, the way carriers bill them (3GPP TS 23.038): GSM-7 when every character is in the GSM
 * basic or extension table (160 a single SMS, 153 a part; extension characters count double), else UCS-2 (70 / 67
 * UTF-16 code units); a part carries whole characters only.
 * @param {string} text
 * @returns {SegmentInfo}
 */
export function countSegments(text) {
  const characters = [...text];
  const isGsm = characters.every((char) => basic.has(char) || extension.has(char));
  // An escape pair (GSM extension character) or a surrogate pair (UCS-2) is never split across two parts.
  const costs = characters.map((char) => (isGsm ? (extension.has(char) ? 2 : 1) : char.length));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const [single, part] = isGsm ? [160, 153] : [70, 67];
  return { encoding: isGsm ? 'GSM-7' : 'UCS-2', units, segments: units <= single ? 1 : packedParts(costs, part) };
}

/**
 * How many parts of `capacity` units the characters fill, none split across two parts.
 * @param {number[]} costs
 * @param {number} capacity
 * @returns {number}
 */
function packedParts(costs, capacity) {
  let parts = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > capacity) {
      parts += 1;
      used = 0;
    }
    used += cost;
  }
  return parts;
}

/**
 * Exactly what goes out for `body` (footer included), with its cost.
 * @param {string} body
 * @returns {SegmentInfo & { text: string }}
 */
export function previewText(body) {
  const text = withFooter(body);
  return { text, ...countSegments(text) };
}

/**
 * One line for people: "1 segment · GSM-7 · 124 characters".
 * @param {SegmentInfo} info
 * @returns {string}
 */
export function describeCost(info) {
  const unit = info.encoding === 'GSM-7' ? 'characters' : 'UCS-2 units';
  return `${info.segments} ${info.segments === 1 ? 'segment' : 'segments'} · ${info.encoding} · ${info.units} ${unit}`;
}
