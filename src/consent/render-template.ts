/** `{{ name }}` placeholders: letters, digits and underscores, starting with a letter or underscore. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The variable names a template uses, in first-use order. */
export function templateVariables(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((match) => match[1] as string))];
}

/** The result of filling a template: the text, or the variables that were missing (never a half-filled text). */
export type RenderResult = { ok: true; text: string } | { ok: false; missing: string[] };

/** Fills every placeholder; a variable that is missing or blank makes the whole render fail. */
export function renderTemplate(body: string, variables: Record<string, string>): RenderResult {
  const missing = templateVariables(body).filter((name) => (variables[name] ?? '').trim().length === 0);
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, text: body.replace(PLACEHOLDER, (_match, name: string) => variables[name] as string) };
}
