import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { MessagesRepository } from '../db/messages-repository';
import { signalSendingWindowChanged } from '../consent/signal-number';
import { validateAccountWindow, type AccountWindow } from '../sending-window/sending-window';
import { WEEKDAYS } from '../sending-window/state-rules';
import { z } from 'zod';
import type { AccountsRepository } from '../db/accounts-repository';
import {
  ACCOUNT_TEXTS,
  LOCALIZABLE_TEXTS,
  previewText,
  validateAccountText,
  type AccountTextName,
} from '../consent/template-rules';
import { REPLY_LANGUAGES, type ReplyLanguage } from '../../workflows/inbound-keywords';
import { HttpError, validationError } from '../errors';
import { principalOf, requireRole } from './auth';
import { NO_NUL, NO_NUL_MESSAGE, NOT_BLANK, NOT_BLANK_MESSAGE } from './text-rules';

/** Body of PUT /v1/settings/:name (an account text); the text rules are checked after parsing. */
export const accountTextSchema = z
  .object({ template: z.string().max(2000).regex(NOT_BLANK, NOT_BLANK_MESSAGE).regex(NO_NUL, NO_NUL_MESSAGE) })
  .strict();
/** Body of PUT /v1/settings/sending-window; the window rules are checked after parsing. */
export const sendingWindowSchema = z
  .object({
    start: z.string().describe("'HH:MM' in the recipient's local time, 24-hour; not before 08:00"),
    end: z.string().describe("'HH:MM', exclusive; not after 21:00 and later than start"),
    noSendDays: z
      .array(z.enum(WEEKDAYS))
      .max(6)
      .optional()
      .describe('weekdays on which nothing is sent (sun … sat); at least one day must stay open'),
  })
  .strict();

/** Body of PUT /v1/settings/a2p. */
export const a2pStatusSchema = z.object({ status: z.enum(['unverified', 'pending', 'verified', 'failed']) }).strict();
const keywordList = z
  .array(z.string().max(40).trim().min(1).regex(NOT_BLANK, NOT_BLANK_MESSAGE).regex(NO_NUL, NO_NUL_MESSAGE))
  .max(50);
/** Body of PUT /v1/settings/messaging. */
export const messagingSettingsSchema = z
  .object({
    holdLimitDays: z.number().int().min(1).max(365).optional(),
    keywords: z
      .object({ optOut: keywordList.optional(), optIn: keywordList.optional(), help: keywordList.optional() })
      .strict()
      .optional(),
  })
  .strict();

const isAccountText = (name: string): name is AccountTextName => Object.hasOwn(ACCOUNT_TEXTS, name);

const windowView = (window: AccountWindow) => ({
  start: window.start,
  end: window.end,
  noSendDays: window.noSendDays ?? [],
});

function accountTextName(raw: unknown): AccountTextName {
  const name = String(raw);
  if (!isAccountText(name)) throw new HttpError(404, 'not_found', 'no such setting');
  return name;
}

/** The `language` query of an account text: English (the main text) unless named; only answers have others. */
function languageOf(raw: unknown, name: AccountTextName): ReplyLanguage {
  if (raw === undefined || raw === 'en') return 'en';
  if (typeof raw !== 'string' || !(REPLY_LANGUAGES as readonly string[]).includes(raw)) {
    throw new HttpError(400, 'invalid_request', `language must be one of ${REPLY_LANGUAGES.join(', ')}`);
  }
  if (!LOCALIZABLE_TEXTS.has(name)) {
    throw new HttpError(400, 'invalid_request', `the ${name} has no other languages: it is sent before any reply`);
  }
  return raw as ReplyLanguage;
}

/**
 * /v1/settings: the account texts (opt-in template, HELP reply, both confirmations, the clarification: agents read,
 * admins write; the answers also per `language`),
 * the A2P 10DLC status (admins only) and messaging settings (hold limit, extra keywords; admins write).
 */
export function settingsRouter(deps: {
  accounts: AccountsRepository;
  messages: MessagesRepository;
  client: Client;
}): Router {
  const router = Router();

  const loadAccount = async (accountId: string) => {
    const account = await deps.accounts.findById(accountId);
    if (!account) throw new HttpError(404, 'not_found', 'account not found');
    return account;
  };

  router.get('/a2p', requireRole('admin'), async (_req, res) => {
    const account = await loadAccount(principalOf(res).accountId);
    res.json({ status: account.a2pStatus });
  });
  router.put('/a2p', requireRole('admin'), async (req, res) => {
    const parsed = a2pStatusSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const principal = principalOf(res);
    await deps.accounts.setA2pStatus(principal.accountId, parsed.data.status, principal.keyId);
    res.json({ status: parsed.data.status });
  });

  router.get('/sending-window', async (_req, res) => {
    const account = await loadAccount(principalOf(res).accountId);
    res.json(windowView(account.sendingWindow));
  });
  router.put('/sending-window', requireRole('admin'), async (req, res) => {
    const parsed = sendingWindowSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const checked = validateAccountWindow(parsed.data);
    if (!checked.ok) {
      throw new HttpError(400, 'invalid_sending_window', checked.message, [{ path: 'body', message: checked.message }]);
    }
    const principal = principalOf(res);
    await deps.accounts.setSendingWindow(principal.accountId, checked.window, principal.keyId);
    // Texts already waiting for the old window are planned again by their numbers' workflows: a wider window may
    // make them due now, a narrower one later. Each number is told once; the answer does not wait for them.
    const numbers = await deps.messages.numbersWithScheduledTexts(principal.accountId);
    const changedAt = new Date().toISOString();
    for (const number of numbers) {
      await signalSendingWindowChanged(deps.client, { accountId: principal.accountId, ...number }, { changedAt });
    }
    res.json({ ...windowView(checked.window), replanned: numbers.length });
  });

  router.get('/messaging', async (_req, res) => {
    const account = await loadAccount(principalOf(res).accountId);
    res.json({ holdLimitDays: account.holdLimitSeconds / 86_400, keywords: account.keywords });
  });
  router.put('/messaging', requireRole('admin'), async (req, res) => {
    const parsed = messagingSettingsSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const principal = principalOf(res);
    await deps.accounts.setMessagingSettings(
      principal.accountId,
      {
        holdLimitSeconds: parsed.data.holdLimitDays === undefined ? undefined : parsed.data.holdLimitDays * 86_400,
        keywords: parsed.data.keywords,
      },
      principal.keyId,
    );
    const account = await loadAccount(principal.accountId);
    res.json({ holdLimitDays: account.holdLimitSeconds / 86_400, keywords: account.keywords });
  });

  router.get('/:name', async (req, res) => {
    const name = accountTextName(req.params.name);
    const language = languageOf(req.query.language, name);
    const account = await loadAccount(principalOf(res).accountId);
    const localized = language === 'en' ? undefined : account.textsByLanguage[language]?.[name];
    const template = localized ?? account[ACCOUNT_TEXTS[name].field];
    // isFallback: the account has no text in this language, so a reply in it is answered with the main one.
    res.json({ template, preview: previewText(template), language, isFallback: language !== 'en' && !localized });
  });
  router.put('/:name', requireRole('admin'), async (req, res) => {
    const name = accountTextName(req.params.name);
    const language = languageOf(req.query.language, name);
    const parsed = accountTextSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const template = parsed.data.template.trim();
    const problems = validateAccountText(name, template, language);
    if (problems.length > 0) {
      throw new HttpError(
        400,
        'invalid_template',
        `the ${name} ${problems.join('; ')}`,
        problems.map((message) => ({ path: 'body.template', message })),
      );
    }
    const principal = principalOf(res);
    if (language === 'en') await deps.accounts.setAccountText(principal.accountId, name, template, principal.keyId);
    else await deps.accounts.setLocalizedText(principal.accountId, language, name, template, principal.keyId);
    res.json({ template, preview: previewText(template), language, isFallback: false });
  });
  router.delete('/:name', requireRole('admin'), async (req, res) => {
    const name = accountTextName(req.params.name);
    const language = languageOf(req.query.language, name);
    if (language === 'en') {
      throw new HttpError(400, 'invalid_request', 'the main (en) text cannot be removed; replace it with PUT instead');
    }
    const principal = principalOf(res);
    await deps.accounts.setLocalizedText(principal.accountId, language, name, undefined, principal.keyId);
    res.status(204).end();
  });

  return router;
}
