import { Router } from 'express';
import { z } from 'zod';
import type { AccountsRepository } from '../db/accounts-repository';
import { ACCOUNT_TEXTS, previewText, validateAccountText, type AccountTextName } from '../consent/template-rules';
import { HttpError, validationError } from '../errors';
import { principalOf, requireRole } from './auth';

/** Body of PUT /v1/settings/:name (an account text); the text rules are checked after parsing. */
export const accountTextSchema = z.object({ template: z.string().max(2000) }).strict();
/** Body of PUT /v1/settings/a2p. */
export const a2pStatusSchema = z.object({ status: z.enum(['unverified', 'pending', 'verified', 'failed']) }).strict();
const keywordList = z.array(z.string().trim().min(1).max(40)).max(50);
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

/**
 * /v1/settings: the account texts (opt-in template, HELP reply, both confirmations: agents read, admins write),
 * the A2P 10DLC status (admins only) and messaging settings (hold limit, extra keywords; admins write).
 */
export function settingsRouter(deps: { accounts: AccountsRepository }): Router {
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
    const name = String(req.params.name);
    if (!isAccountText(name)) throw new HttpError(404, 'not_found', 'no such setting');
    const account = await loadAccount(principalOf(res).accountId);
    const template = account[ACCOUNT_TEXTS[name].field];
    res.json({ template, preview: previewText(template) });
  });
  router.put('/:name', requireRole('admin'), async (req, res) => {
    const name = String(req.params.name);
    if (!isAccountText(name)) throw new HttpError(404, 'not_found', 'no such setting');
    const parsed = accountTextSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const template = parsed.data.template.trim();
    const problems = validateAccountText(name, template);
    if (problems.length > 0) {
      throw new HttpError(
        400,
        'invalid_template',
        `the ${name} ${problems.join('; ')}`,
        problems.map((message) => ({ path: 'body.template', message })),
      );
    }
    const principal = principalOf(res);
    await deps.accounts.setAccountText(principal.accountId, name, template, principal.keyId);
    res.json({ template, preview: previewText(template) });
  });

  return router;
}
