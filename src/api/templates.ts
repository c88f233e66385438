import { Router } from 'express';
import { z } from 'zod';
import type { TemplatesRepository } from '../db/templates-repository';
import { previewText } from '../consent/template-rules';
import { templateVariables } from '../consent/render-template';
import { HttpError, validationError } from '../errors';
import { principalOf, requireRole } from './auth';
import { NO_NUL, NO_NUL_MESSAGE, NOT_BLANK, NOT_BLANK_MESSAGE } from './text-rules';

const name = z.string().max(100).trim().min(1).regex(NOT_BLANK, NOT_BLANK_MESSAGE).regex(NO_NUL, NO_NUL_MESSAGE);
const body = z.string().max(1500).trim().min(1).regex(NOT_BLANK, NOT_BLANK_MESSAGE).regex(NO_NUL, NO_NUL_MESSAGE);
/** Body of POST /v1/templates. */
export const createTemplateSchema = z.object({ name, body }).strict();
/** Body of PUT /v1/templates/:templateId. */
export const updateTemplateSchema = z
  .object({ name: name.optional(), body: body.optional() })
  .strict()
  .refine((value) => value.name !== undefined || value.body !== undefined, 'give name or body')
  // The refinement above, as JSON Schema for the OpenAPI document.
  .meta({ minProperties: 1 });
/** The `:templateId` path parameter of /v1/templates. */
export const templateIdSchema = z.uuid();

/** /v1/templates: the account's SMS Text templates. Agents read; admins create, change and delete. */
export function templatesRouter(deps: { templates: TemplatesRepository }): Router {
  const router = Router();
  const describe = (template: { body: string }) => ({
    variables: templateVariables(template.body),
    preview: previewText(template.body),
  });

  router.get('/', async (_req, res) => {
    const templates = await deps.templates.list(principalOf(res).accountId);
    res.json({ templates: templates.map((t) => ({ ...t, ...describe(t) })) });
  });
  router.get('/:templateId', async (req, res) => {
    const template = await deps.templates.find(principalOf(res).accountId, parseId(req.params.templateId));
    if (!template) throw new HttpError(404, 'not_found', 'no such template');
    res.json({ ...template, ...describe(template) });
  });
  router.post('/', requireRole('admin'), async (req, res) => {
    const parsed = createTemplateSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const template = await deps.templates.create(principalOf(res).accountId, parsed.data);
    if (!template) throw new HttpError(409, 'conflict', 'a template with this name exists');
    res.status(201).json({ ...template, ...describe(template) });
  });
  router.put('/:templateId', requireRole('admin'), async (req, res) => {
    const parsed = updateTemplateSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const result = await deps.templates.update(principalOf(res).accountId, parseId(req.params.templateId), parsed.data);
    if (result === 'missing') throw new HttpError(404, 'not_found', 'no such template');
    if (result === 'name_taken') throw new HttpError(409, 'conflict', 'a template with this name exists');
    res.json({ ...result, ...describe(result) });
  });
  router.delete('/:templateId', requireRole('admin'), async (req, res) => {
    const removed = await deps.templates.remove(principalOf(res).accountId, parseId(req.params.templateId));
    if (!removed) throw new HttpError(404, 'not_found', 'no such template');
    res.status(204).end();
  });
  return router;
}

function parseId(raw: unknown): string {
  const parsed = templateIdSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'invalid_request', 'templateId must be a UUID');
  return parsed.data;
}
