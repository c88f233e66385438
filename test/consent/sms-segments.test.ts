import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countSegments } from '../../src/consent/sms-segments';

// 3GPP TS 23.038 (GSM 7-bit alphabet: an extension-table character is an escape pair, two septets) and TS 23.040
// (a concatenated part carries 153 septets or 67 UCS-2 units after its 6-byte header). Handsets and carriers fill
// each part with whole characters, so a pair that would straddle two parts starts the next one.
describe('countSegments', () => {
  const cases: { name: string; text: string; encoding: 'GSM-7' | 'UCS-2'; units: number; segments: number }[] = [
    { name: '160 GSM characters fit one SMS', text: 'a'.repeat(160), encoding: 'GSM-7', units: 160, segments: 1 },
    { name: '161 GSM characters take two parts', text: 'a'.repeat(161), encoding: 'GSM-7', units: 161, segments: 2 },
    { name: '306 GSM characters fill two parts', text: 'a'.repeat(306), encoding: 'GSM-7', units: 306, segments: 2 },
    {
      name: 'a euro sign at the end of a part moves to the next (152 + € + 152 is three parts)',
      text: `${'a'.repeat(152)}€${'a'.repeat(152)}`,
      encoding: 'GSM-7',
      units: 306,
      segments: 3,
    },
    {
      name: 'a euro sign that fits whole stays (151 + € + 153 is two parts)',
      text: `${'a'.repeat(151)}€${'a'.repeat(153)}`,
      encoding: 'GSM-7',
      units: 306,
      segments: 2,
    },
    { name: '70 UCS-2 units fit one SMS', text: 'ç'.repeat(70), encoding: 'UCS-2', units: 70, segments: 1 },
    {
      name: 'an emoji at the end of a UCS-2 part moves to the next (66 + emoji + 66 is three parts)',
      text: `${'ç'.repeat(66)}😀${'ç'.repeat(66)}`,
      encoding: 'UCS-2',
      units: 134,
      segments: 3,
    },
    {
      name: 'an emoji that fits whole stays (65 + emoji + 67 is two parts)',
      text: `${'ç'.repeat(65)}😀${'ç'.repeat(67)}`,
      encoding: 'UCS-2',
      units: 134,
      segments: 2,
    },
  ];

  for (const testCase of cases) {
    it(`counts ${testCase.segments} when ${testCase.name}`, () => {
      const info = countSegments(testCase.text);

      assert.deepEqual(info, { encoding: testCase.encoding, units: testCase.units, segments: testCase.segments });
    });
  }
});
