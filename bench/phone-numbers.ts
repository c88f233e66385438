/**
 * Distinct, valid US numbers for bench leads: area code × 555 × 0000–9999 (libphonenumber accepts every one).
 * 305 is left out: the sandbox treats +1 305 555-0xxx and -9xxx as carrier refusals.
 */
const AREA_CODES = ['212', '312', '415', '646', '718', '917', '213', '617', '202', '303', '404', '503', '206', '512'];
const NUMBERS_PER_AREA_CODE = 10_000;

/** How many distinct numbers `benchPhone` can make. */
export const BENCH_PHONE_COUNT = AREA_CODES.length * NUMBERS_PER_AREA_CODE;

/** The `index`-th bench number, E.164. Each run has its own database and Temporal server, so runs never collide. */
export function benchPhone(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= BENCH_PHONE_COUNT) {
    throw new RangeError(`bench phone index ${index} is outside 0..${BENCH_PHONE_COUNT - 1}`);
  }
  const areaCode = AREA_CODES[Math.floor(index / NUMBERS_PER_AREA_CODE)]!;
  const line = String(index % NUMBERS_PER_AREA_CODE).padStart(4, '0');
  return `+1${areaCode}555${line}`;
}

/** Hands out bench numbers in order, so no two leads of a run share a number unless a phase means them to. */
export class PhoneAllocator {
  private next = 0;

  /** Reserves `count` consecutive numbers and returns the index of the first. */
  reserve(count: number): number {
    const first = this.next;
    if (first + count > BENCH_PHONE_COUNT) {
      throw new RangeError(`the bench needs more than ${BENCH_PHONE_COUNT} distinct numbers`);
    }
    this.next += count;
    return first;
  }

  take(): string {
    return benchPhone(this.reserve(1));
  }
}
