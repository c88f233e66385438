/**
 * US state calling-hour rules that are stricter than the federal 08:00–21:00 window of 47 CFR 64.1200(c)(1).
 * The federal window applies everywhere; a row here only narrows it. Every row names the statute it encodes and how
 * its text was read: the official code, an unofficial copy of the statute's text, or only a secondary summary (law
 * firm or news); secondary rows need a lawyer's check against the statute before we rely on their details.
 * docs/quiet-hours.md carries the same table for humans.
 */
import { FEDERAL_HOLIDAYS, type HolidayRule } from './holidays';

/** Days of the week as the account settings and state rules spell them; the index is the JavaScript day number. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** An allowed span of local wall-clock time, 'HH:MM' (24-hour), start inclusive, end exclusive. */
export interface LocalHours {
  start: string;
  end: string;
}

/** How the encoded text was read. */
export type SourceKind = 'official-code' | 'statute-text-copy' | 'secondary';

export interface RuleSource {
  statute: string;
  url: string;
  kind: SourceKind;
  /** The day the text was last read for this table (YYYY-MM-DD). */
  checkedOn: string;
  note?: string;
}

export interface StateRule {
  /** USPS two-letter code. */
  state: string;
  /** Allowed hours per local weekday; `null` forbids the whole day. Every weekday is listed. */
  hours: Readonly<Record<Weekday, LocalHours | null>>;
  /** Days on which nothing may be sent, whatever the hours say. */
  holidays: readonly HolidayRule[];
  /** First local calendar day (YYYY-MM-DD) on which the rule applies to texts; absent when long in force. */
  effectiveFrom?: string;
  sources: readonly RuleSource[];
}

const CHECKED_ON = '2026-12-04';

const everyDay = (start: string, end: string): Record<Weekday, LocalHours> => ({
  sun: { start, end },
  mon: { start, end },
  tue: { start, end },
  wed: { start, end },
  thu: { start, end },
  fri: { start, end },
  sat: { start, end },
});

/** Rhode Island's legal holidays, R.I. Gen. Laws § 25-1-1, added to the federal ones that § 5-61-2 also names. */
const RHODE_ISLAND_HOLIDAYS: readonly HolidayRule[] = [
  ...FEDERAL_HOLIDAYS,
  { kind: 'fixedDate', name: 'Rhode Island Independence Day', month: 5, day: 4, observed: 'nearestWeekdays' },
  { kind: 'nthWeekday', name: 'Victory Day', month: 8, weekday: 1, nth: 2 },
  // § 25-1-1: "in each year in which a general election of state officers is held", which Rhode Island does in even
  // years.
  { kind: 'electionDay', name: 'Election Day', evenYearsOnly: true },
];

/** The legal holidays listed by the secondary sources for 73 P.S. § 2245(a)(10). */
const PENNSYLVANIA_HOLIDAYS: readonly HolidayRule[] = [
  { kind: 'fixedDate', name: "New Year's Day", month: 1, day: 1, observed: 'nearestWeekdays' },
  { kind: 'nthWeekday', name: 'Martin Luther King, Jr. Day', month: 1, weekday: 1, nth: 3 },
  { kind: 'nthWeekday', name: "Presidents' Day", month: 2, weekday: 1, nth: 3 },
  { kind: 'goodFriday', name: 'Good Friday' },
  { kind: 'nthWeekday', name: 'Memorial Day', month: 5, weekday: 1, nth: -1 },
  { kind: 'fixedDate', name: 'Flag Day', month: 6, day: 14, observed: 'nearestWeekdays' },
  { kind: 'fixedDate', name: 'Independence Day', month: 7, day: 4, observed: 'nearestWeekdays' },
  { kind: 'nthWeekday', name: 'Labor Day', month: 9, weekday: 1, nth: 1 },
  { kind: 'nthWeekday', name: 'Columbus Day', month: 10, weekday: 1, nth: 2 },
  // Pennsylvania holds a general or municipal election every November.
  { kind: 'electionDay', name: 'Election Day', evenYearsOnly: false },
  { kind: 'fixedDate', name: 'Veterans Day', month: 11, day: 11, observed: 'nearestWeekdays' },
  { kind: 'nthWeekday', name: 'Thanksgiving Day', month: 11, weekday: 4, nth: 4 },
  { kind: 'fixedDate', name: 'Christmas Day', month: 12, day: 25, observed: 'nearestWeekdays' },
];

/** The stricter state rules, one row per state, sorted by state code. */
export const STATE_RULES: readonly StateRule[] = [
  {
    state: 'CT',
    hours: everyDay('09:00', '20:00'),
    holidays: [],
    effectiveFrom: '2023-10-01',
    sources: [
      {
        statute: 'Conn. Gen. Stat. § 42-288a, as amended by 2023 SB 1058',
        url: 'https://cga.ct.gov/current/pub/chap_743m.htm',
        kind: 'secondary',
        checkedOn: CHECKED_ON,
        note: 'Hours quoted ("between the hours of nine o\'clock a.m. and eight o\'clock p.m. local time") by Klein Moynihan Turco, https://mondaq.co.uk/unitedstates/advertising-marketing--branding/1340464/revised-connecticut-telemarketing-law-signed-into-law; texts included per 2023 amendments. Statute text not read (searched 2026-12-04): the stored copies of cga.ct.gov chap_743m and of casetext § 42-288a end before the hours words of subsection (c) (casetext stops at "(c) A telephonic sales call that is made to any consumer residential, mo…"), and no code mirror with § 42-288a(c) turned up for "42-288a nine o\'clock" or "eight o\'clock p.m. local time".',
      },
    ],
  },
  {
    state: 'FL',
    hours: everyDay('08:00', '20:00'),
    holidays: [],
    effectiveFrom: '2021-07-01',
    sources: [
      {
        statute: 'Fla. Stat. § 501.616(6)(a) (amended by 2021 SB 1120)',
        url: 'https://flsenate.gov/Session/Bill/2021/1120/BillText/Filed/HTML',
        kind: 'official-code',
        checkedOn: CHECKED_ON,
        note: 'Bill text on the Florida Senate site: "before 8 a.m. or after 8 p.m. local time at the called person\'s location". The FTSA (§ 501.059) is cited for the same hours by secondary sources only.',
      },
    ],
  },
  {
    state: 'MD',
    hours: everyDay('08:00', '20:00'),
    holidays: [],
    effectiveFrom: '2024-01-01',
    sources: [
      {
        statute: 'Md. Code, Com. Law § 14-4502 (Stop the Spam Calls Act of 2023, SB 90)',
        url: 'https://www.wmar2news.com/local/law-to-prevent-spam-calls-takes-effect-first-of-the-year',
        kind: 'secondary',
        checkedOn: CHECKED_ON,
        note: '8:00 a.m.–8:00 p.m. in the called party\'s time zone, in effect 1 Jan 2024, per news and industry summaries; the statute\'s hours clause was not read. Searched 2026-12-04 ("14-4502 8 p.m.", "between 8 p.m. and 8 a.m."): the stored copies of § 14-4502 (lexace.ai, self-law.org) end inside subsection (a), before the hours; the legislature\'s SB0090 (2023RS) page gives only "Approved by the Governor - Chapter 413" and "Effective Date(s): January 1, 2024" (https://mgaleg.maryland.gov/mgawebsite/Legislation/Details/SB0090?ys=2023RS).',
      },
    ],
  },
  {
    state: 'MS',
    hours: { ...everyDay('08:00', '20:00'), sun: null },
    holidays: [],
    sources: [
      {
        statute: 'Miss. Code Ann. § 77-3-723(1); also § 77-3-603(a) (8:00–21:00 Monday–Saturday, no Sundays)',
        url: 'https://getpocketlaw.com/law/state_mississippi/section-77-3-723-rules-for-authorized-calls_57b73fa7ff73',
        kind: 'statute-text-copy',
        checkedOn: CHECKED_ON,
        note: 'The statute says "8:00 a.m. and 8:00 p.m. Central Standard Time"; we read it as local time (see docs/quiet-hours.md). The legal-holiday ban was a PSC rule, repealed after 2023 HB 1225 (https://www.dnc.com/blog/no-more-holidays-mississippi-marketers-magnolia-state-lifts-prohibition-telemarketing-legal).',
      },
    ],
  },
  {
    state: 'OK',
    hours: everyDay('08:00', '20:00'),
    holidays: [],
    effectiveFrom: '2022-11-01',
    sources: [
      {
        statute: 'Okla. Stat. tit. 15, § 775C.3 (Telephone Solicitation Act of 2022, HB 3168)',
        url: 'https://app.legiplex.com/ok/legislature/2022/2022-r/bills/hb3168/drafts-latest',
        kind: 'secondary',
        checkedOn: CHECKED_ON,
        note: 'Hours (no sales calls before 8 a.m. or after 8 p.m.) from the Oklahoma Senate release reported at https://kfor.com/news/oklahoma-legislature/oklahoma-state-senate-votes-to-prohibit-certain-solicitation-calls/; the enrolled text was found but its hours clause not read. Searched again 2026-12-04 ("775C.3", "775C.4", "before 8:00 a.m. or after 8:00 p.m."): stored copies hold only §§ 775C.2 and 775C.5 and the enrolled bill\'s title ("providing the time frame during which a commercial telephone seller or salesperson may make commercial solicitation phone calls"), not the clause.',
      },
    ],
  },
  {
    state: 'OR',
    hours: everyDay('08:00', '20:00'),
    holidays: [],
    effectiveFrom: '2026-01-01',
    sources: [
      {
        statute: 'Or. HB 3865 (2025), amending ORS 646.561–646.578 (telephone solicitation)',
        url: 'https://production.jdsupra.com/legalnews/oregon-passes-new-telephone-8210765',
        kind: 'secondary',
        checkedOn: CHECKED_ON,
        note: 'Troutman Pepper Locke summary: 8 a.m.–8 p.m., texts included; effective 1 Jan 2026 per the Senate Judiciary A3 amendment. Neither the enrolled HB 3865 nor ORS 646.569 as amended was found in the stored material (searched 2026-12-04: "646.569 8 p.m.", "HB 3865" enrolled text); only summaries (citizenportal.ai on the A3 amendment, postscript.io, vicifast.com) agree on 8 a.m.–8 p.m.',
      },
    ],
  },
  {
    state: 'PA',
    // Narrower than the federal window the statute's hours clause gives (see the second source): 2025 SB 992 may be
    // in force (9 a.m.–7 p.m., no Sundays) and is unverified, and a window that may be too narrow only delays a
    // text, while one that may be too wide can break the law. Checked against the enacted text, this may widen.
    hours: { ...everyDay('09:00', '19:00'), sun: null },
    holidays: PENNSYLVANIA_HOLIDAYS,
    effectiveFrom: '2019-12-03',
    sources: [
      {
        statute: '73 P.S. § 2245(a)(10) (Telemarketer Registration Act, amended by Act 73 of 2019)',
        url: 'https://www.jenkinslaw.org/blog/2019/12/03/amendments-pennsylvanias-telemarketer-registration-act-effective-today',
        kind: 'secondary',
        checkedOn: CHECKED_ON,
        note: 'No telephone solicitation calls on legal holidays; holiday list from https://dnc.dreamhosters.com/update-pennsylvania-governor-signs-new-robocall-restrictions-law. The text of (a)(10) was not read (searched 2026-12-04: "2245(a)(10) legal holiday", the holiday names, HB 318 of 2019): the stored Purdon\'s copy of § 2245 and the HB 318 amendment A00059 both end before it. Whether the Act reaches texts today is unclear; encoded anyway because it only narrows. 2025 SB 992 would add texts, Sundays and 9 a.m.–7 p.m.: two unverified third-party sources (a compliance tool\'s description, another project\'s source code) say it was enacted as Act 47 of 2026 with Sundays barred from 2026-10-18, but no enacted text was found ("SB 992", "Act 47 of 2026", "on a Sunday or after 7 p.m."). Its narrower hours and the Sunday ban are encoded anyway, as the safe side, until the text is read.',
      },
      {
        statute: '73 P.S. § 2245(a)(1) (hours)',
        url: 'https://govt.westlaw.com/pac/Document/NE4CC77F0E9F711E9BEFE89A994168F89?viewType=FullText&originationContext=documenttoc&transitionType=CategoryPageItem&contextData=(sc.Default)',
        kind: 'statute-text-copy',
        checkedOn: CHECKED_ON,
        note: 'Purdon\'s text, effective 3 Dec 2019: "(1) Conducting telemarketing after 9 p.m. or before 8 a.m." That is the federal window; the row is narrower still (SB 992, above).',
      },
    ],
  },
  {
    state: 'RI',
    hours: {
      sun: null,
      mon: { start: '09:00', end: '18:00' },
      tue: { start: '09:00', end: '18:00' },
      wed: { start: '09:00', end: '18:00' },
      thu: { start: '09:00', end: '18:00' },
      fri: { start: '09:00', end: '18:00' },
      sat: { start: '10:00', end: '17:00' },
    },
    // § 5-61-2 excepts state and federal holidays from the weekday hours only; we block them on Saturdays too.
    holidays: RHODE_ISLAND_HOLIDAYS,
    sources: [
      {
        statute: 'R.I. Gen. Laws § 5-61-3.6 (hours of operation)',
        url: 'http://webserver.rilin.state.ri.us/Statutes/TITLE5/5-61/5-61-3.6.HTM',
        kind: 'official-code',
        checkedOn: CHECKED_ON,
      },
      {
        statute:
          'R.I. Gen. Laws § 5-61-2(2) ("hours of operation": Mon–Fri except a state or federal holiday 9–6; Sat 10–5)',
        url: 'https://instalawyer.io/laws/rhode-island-general-laws/section-5-61-2-definitions',
        kind: 'statute-text-copy',
        checkedOn: CHECKED_ON,
      },
      {
        statute: 'R.I. Gen. Laws § 25-1-1 (state holidays)',
        url: 'https://unicourt.github.io/cic-code-ri/transforms/ri/ocri/r71/gov.ri.code.title.25.html',
        kind: 'statute-text-copy',
        checkedOn: CHECKED_ON,
        note: 'Days the governor or legislature appoint ad hoc cannot be computed and are not encoded.',
      },
    ],
  },
  {
    state: 'TX',
    hours: { ...everyDay('09:00', '21:00'), sun: { start: '12:00', end: '21:00' } },
    holidays: [],
    effectiveFrom: '2025-09-01',
    sources: [
      {
        statute: 'Tex. Bus. & Com. Code § 301.051; texts covered by SB 140 (89th Leg.) from 1 Sep 2025',
        url: 'https://capitol.texas.gov/tlodocs/89R/analysis/html/SB00140F.htm',
        kind: 'secondary',
        checkedOn: CHECKED_ON,
        note: 'The bill analysis (official) gives SB 140 and its scope; the hours (9 a.m.–9 p.m. Mon–Sat, noon–9 p.m. Sun) come from Foster Garvey, https://www.foster.com/newsroom-alerts-texas-expands-telemarketing-law-to-cover-text-messagesms-marketing-what-companies-need-to-know. The text of § 301.051 was not found in the stored material (searched 2026-12-04: "301.051 Sunday noon", "Texas Business and Commerce Code 301.051"; a stored index shows only "(a) This section does not…"). SB 140\'s official analyses (SB00140F, SB00140H) and fiscal note describe a "telephone call" definition, texts included, added to Chapter 302 (registration) and DTPA remedies for Chapters 304 and 305; none names Chapter 301, so that SB 140 brings texts under the § 301.051 hours is unconfirmed. Kept because it only narrows.',
      },
    ],
  },
  {
    state: 'WA',
    hours: everyDay('08:00', '20:00'),
    holidays: [],
    sources: [
      {
        statute: 'RCW 19.158.040(2)',
        url: 'https://app.leg.wa.gov/RCW/default.aspx?cite=19.158.040',
        kind: 'official-code',
        checkedOn: CHECKED_ON,
        note: '"before 8:00 a.m. or after 8:00 p.m. at the call recipient\'s local time" (commercial telephone solicitors).',
      },
    ],
  },
];

const RULES_BY_STATE: ReadonlyMap<string, StateRule> = new Map(STATE_RULES.map((rule) => [rule.state, rule]));

/**
 * The rule for `state` in force on `localDate` (YYYY-MM-DD at the recipient's location), or undefined when only the
 * federal window applies.
 */
export function stateRuleOn(state: string | undefined, localDate: string): StateRule | undefined {
  if (state === undefined) return undefined;
  const rule = RULES_BY_STATE.get(state.toUpperCase());
  if (rule === undefined) return undefined;
  // ISO dates compare correctly as strings.
  if (rule.effectiveFrom !== undefined && localDate < rule.effectiveFrom) return undefined;
  return rule;
}
