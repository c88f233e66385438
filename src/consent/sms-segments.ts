/**
 * How many SMS segments a text costs, and in which encoding (3GPP TS 23.038). A text made only of the GSM 03.38
 * basic and extension characters goes as GSM-7 (160 per single SMS, 153 per concatenated part; extension
 * characters count double); anything else forces UCS-2 (70 / 67, counted in UTF-16 code units).
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

/** Counts segments the way carriers bill them. */
export function countSegments(text: string): SegmentInfo {
  let septets = 0;
  let isGsm = true;
  for (const char of text) {
    if (basic.has(char)) septets += 1;
    else if (extension.has(char)) septets += 2;
    else {
      isGsm = false;
      break;
    }
  }
  if (isGsm) {
    return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  }
  const units = text.length;
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
