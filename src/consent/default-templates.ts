/**
 * The texts a new account starts with. Each carries what CTIA and the FCC expect (see docs/consent-model.md):
 * brand, how to reply START/HELP/STOP, message frequency and "Msg & data rates may apply". The footer is
 * appended at send time, never stored in a template.
 */
export function defaultTemplates(brand: string): {
  optIn: string;
  help: string;
  optOutConfirmation: string;
  optInConfirmation: string;
  clarification: string;
} {
  return {
    optIn:
      `${brand}: we'd like to text you about your inquiry. Reply START to opt in. ` +
      'Msg frequency varies. Msg & data rates may apply. Reply HELP for help.',
    help:
      `${brand}: for help, reply to this number or contact your ${brand} representative. ` +
      'Msg frequency varies. Msg & data rates may apply. Reply STOP to opt out.',
    optOutConfirmation: `${brand}: you are unsubscribed and will receive no further messages. Reply START to resubscribe.`,
    optInConfirmation:
      `${brand}: you are subscribed to texts about your inquiry. Msg frequency varies. ` +
      'Msg & data rates may apply. Reply HELP for help.',
    // Asks, never assumes: the lead's reply may have been a revocation (docs/keywords.md, "Unclear replies").
    clarification: `${brand}: we were not sure what you meant. Reply STOP to stop texts from us, or START to keep getting them.`,
  };
}
