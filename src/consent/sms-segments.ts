/**
 * How many SMS segments a text costs, and in which encoding (3GPP TS 23.038). A text made only of the GSM 03.38
 * basic and extension characters goes as GSM-7 (160 per single SMS, 153 per concatenated part; extension
 * characters count double); anything else forces UCS-2 (70 / 67, counted in UTF-16 code units). A concatenated
 * part carries whole characters only (an escape pair or a surrogate pair is never split), as handsets and
 * carriers pack them.
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';
const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

/** A text's SMS cost. */
export interface SegmentInfo {
  encoding: 'GSM-7' | 'UCS-2';
  /** Length in the encoding's units (GSM-7 septets or UTF-16 code units). */
  units: number;
  segments: number;
}

/** Counts segments the way carriers bill and split them. */
export function countSegments(text: string): SegmentInfo {
  const characters = [...text];
  const isGsm = characters.every((char) => basic.has(char) || extension.has(char));
  // A character's units: GSM-7 septets (an extension character is an escape pair) or UTF-16 code units (a
  // character outside the BMP, such as most emoji, is a surrogate pair). Neither pair is ever split across two
  // parts: a part that cannot hold the whole pair ends early, which is how 152 GSM characters, a euro sign and 152
  // more make three parts, not two.
  const costs = characters.map((char) => (isGsm ? (extension.has(char) ? 2 : 1) : char.length));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const [single, part] = isGsm ? [160, 153] : [70, 67];
  return { encoding: isGsm ? 'GSM-7' : 'UCS-2', units, segments: units <= single ? 1 : packedParts(costs, part) };
}

/** How many parts of `capacity` units the characters fill, none split across two parts. */
function packedParts(costs: readonly number[], capacity: number): number {
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
