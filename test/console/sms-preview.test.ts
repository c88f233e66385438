import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { FOOTER, withFooter } from '../../src/consent/footer';
import { countSegments } from '../../src/consent/sms-segments';
import { MAX_SYSTEM_TEXT_SEGMENTS, previewText } from '../../src/consent/template-rules';

/** The browser module's exports (console/sms-preview.js, plain JavaScript). */
interface BrowserPreview {
  FOOTER: string;
  MAX_SYSTEM_TEXT_SEGMENTS: number;
  withFooter(body: string): string;
  countSegments(text: string): ReturnType<typeof countSegments>;
  previewText(body: string): ReturnType<typeof previewText>;
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿az';
const GSM_EXTENSION = '^{}\\[~]|€\f';
const OTHER = 'çÀáíóú“”’…ñ中文😀🏠\u00a0\t\u200b';

/** Texts near every boundary: GSM-7 basic and extension, UCS-2 (emoji are two code units), footers, spaces. */
const textArb = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...GSM_BASIC) },
      { weight: 2, arbitrary: fc.constantFrom(...GSM_EXTENSION) },
      { weight: 1, arbitrary: fc.constantFrom(...OTHER) },
      { weight: 1, arbitrary: fc.constantFrom(FOOTER, ` ${FOOTER}\n`, ' \n', '\t\n') },
    ),
    { maxLength: 480 },
  )
  .map((parts) => parts.join(''));

describe('console SMS preview', () => {
  let browser: BrowserPreview;

  before(async () => {
    const file = pathToFileURL(path.resolve(__dirname, '../../console/sms-preview.js')).href;
    browser = (await import(file)) as BrowserPreview;
  });

  it('counts segments and encoding exactly as the server does on thousands of texts', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        assert.deepEqual(browser.countSegments(text), countSegments(text));
        assert.equal(browser.withFooter(text), withFooter(text));
        assert.deepEqual(browser.previewText(text), previewText(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the server at the segment boundaries when texts are 70, 160 or 153 units long and around', () => {
    const lengths = [0, 1, 69, 70, 71, 134, 135, 152, 153, 154, 159, 160, 161, 306, 307, 459, 460, 1530];
    const texts = lengths.flatMap((length) => [
      'a'.repeat(length),
      '€'.repeat(Math.ceil(length / 2)),
      `${'a'.repeat(Math.max(0, length - 1))}é`,
      `${'a'.repeat(Math.max(0, length - 1))}😀`,
      `${'a'.repeat(Math.max(0, length - 1))}ç`,
    ]);

    for (const text of texts) {
      assert.deepEqual(browser.countSegments(text), countSegments(text), `length ${text.length}`);
      assert.deepEqual(browser.previewText(text), previewText(text), `preview of length ${text.length}`);
    }
  });

  it('uses the same footer and account-text segment limit as the server', () => {
    assert.equal(browser.FOOTER, FOOTER);
    assert.equal(browser.MAX_SYSTEM_TEXT_SEGMENTS, MAX_SYSTEM_TEXT_SEGMENTS);
  });
});
