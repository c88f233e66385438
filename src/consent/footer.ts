/** The footer every outbound text ends with (the seed's exact words). */
export const FOOTER = 'Reply STOP to opt-out of future text communications.';

/**
 * Returns the text exactly as it goes out: the body with the footer appended once. A footer already present
 * anywhere in the body (a template that includes it) is removed first, so the footer appears exactly once,
 * at the end (invariant 3).
 */
export function withFooter(body: string): string {
  const withoutFooter = body
    .split(FOOTER)
    .join(' ')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
  return withoutFooter.length === 0 ? FOOTER : `${withoutFooter}\n${FOOTER}`;
}
