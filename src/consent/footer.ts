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

/**
 * The longest SMS `text` the Vonage Messages API takes: "limited to 1000 characters" (Messages API v1.11.0,
 * `OutboundSMSText.text`, https://developer.vonage.com/en/api/messages ; copy at Vonage-Community/tool-docker-api-sandbox
 * @ee30a8c2ec3a1360174ff8a3f0dabab18b6795b5 `DockerApiSandbox.Api.Test/Products/Messages/Files/messages_local.json`).
 */
export const MAX_SENT_TEXT_LENGTH = 1000;

/**
 * The longest body that still fits once `withFooter` adds a line break and the footer, so a text accepted by our API is
 * never one Vonage refuses. Lengths are UTF-16 code units, which count an emoji as two: stricter than Vonage, never looser.
 */
export const MAX_BODY_LENGTH = MAX_SENT_TEXT_LENGTH - 1 - FOOTER.length;

/** Whether `body`, as it goes out with the footer, fits in one Messages API SMS `text`. */
export function fitsWithFooter(body: string): boolean {
  return withFooter(body).length <= MAX_SENT_TEXT_LENGTH;
}
