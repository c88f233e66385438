import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Router, type Response } from 'express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { HttpError } from './errors';

/**
 * The console's files, by the name the browser asks for. Only these are served: an allowlist rather than a
 * static directory, so nothing else in console/ (or beside it) can ever be read through a crafted path.
 */
export const CONSOLE_ASSETS = {
  'style.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'dom.js': 'text/javascript; charset=utf-8',
  'labels.js': 'text/javascript; charset=utf-8',
  'sms-preview.js': 'text/javascript; charset=utf-8',
  'settings-view.js': 'text/javascript; charset=utf-8',
  'messages-view.js': 'text/javascript; charset=utf-8',
  'lead-view.js': 'text/javascript; charset=utf-8',
  'lead-search.js': 'text/javascript; charset=utf-8',
  'do-not-contact-view.js': 'text/javascript; charset=utf-8',
  'do-not-contact-search.js': 'text/javascript; charset=utf-8',
  'event-endpoints-view.js': 'text/javascript; charset=utf-8',
  'event-deliveries.js': 'text/javascript; charset=utf-8',
} as const;

/** The `:asset` path parameter of GET /console/{asset}. */
export const consoleAssetSchema = z.enum(Object.keys(CONSOLE_ASSETS) as [keyof typeof CONSOLE_ASSETS]);

/** 200 of GET /console/config.json: what the page needs from the server's configuration. */
export const consoleConfigSchema = z.object({
  temporalUiUrl: z
    .string()
    .nullable()
    .describe("the Temporal Web UI, for the link to a lead's workflow; null if unset"),
  temporalNamespace: z.string().describe('the namespace the workflows run in'),
});

/** Dependencies of the console routes. */
export interface ConsoleDeps {
  temporalUiUrl?: string;
  /** The API's Temporal client: the console links to workflows in its namespace. */
  client: Client;
}

/**
 * The console for a tenant's people: one HTML page at `/` and its scripts and styles under /console/. The page signs
 * in with an admin or agent API key (kept in the tab's sessionStorage) and calls the same /v1 API as any client, so
 * it holds no privileges of its own. No inline script or style: helmet's Content-Security-Policy (script-src 'self')
 * stays as strict as for the API.
 *
 * The files are read once, from console/ at the repository root (src/ runs under tsx, dist/src/ once built).
 */
export function consoleRouter(deps: ConsoleDeps): Router {
  const files = loadConsoleFiles();
  const router = Router();
  const send = (res: Response, name: string, type: string) => {
    const file = files?.get(name);
    if (!file) throw new HttpError(404, 'not_found', 'the console is not installed: console/ is not beside the server');
    // Revalidated on every load (ETag), so a deploy never leaves a stale module next to a new one.
    res.type(type).setHeader('cache-control', 'no-cache');
    res.send(file);
  };

  router.get('/', (_req, res) => {
    send(res, 'index.html', 'text/html; charset=utf-8');
  });
  router.get('/console/config.json', (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.json({
      temporalUiUrl: deps.temporalUiUrl?.replace(/\/+$/, '') ?? null,
      temporalNamespace: deps.client.options?.namespace ?? 'default',
    } satisfies z.infer<typeof consoleConfigSchema>);
  });
  router.get('/console/:asset', (req, res) => {
    const parsed = consoleAssetSchema.safeParse(req.params.asset);
    if (!parsed.success) throw new HttpError(404, 'not_found', 'no such console file');
    send(res, parsed.data, CONSOLE_ASSETS[parsed.data]);
  });
  return router;
}

function loadConsoleFiles(): Map<string, Buffer> | undefined {
  const directory = [path.resolve(__dirname, '../console'), path.resolve(__dirname, '../../console')].find((dir) =>
    existsSync(path.join(dir, 'index.html')),
  );
  if (!directory) return undefined;
  const names = ['index.html', ...Object.keys(CONSOLE_ASSETS)];
  return new Map(names.map((name) => [name, readFileSync(path.join(directory, name))]));
}
