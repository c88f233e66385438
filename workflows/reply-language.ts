/**
 * The languages whose keywords the classifier knows and in which an account may write its answers (HELP, the
 * confirmations, the clarifying question). English is the main language and the fallback (docs/keywords.md).
 * Import-free: the workflow sandbox, the webhook and the API all read it.
 */
export const REPLY_LANGUAGES = ['en', 'es', 'fr'] as const;

/** One of REPLY_LANGUAGES. */
export type ReplyLanguage = (typeof REPLY_LANGUAGES)[number];
