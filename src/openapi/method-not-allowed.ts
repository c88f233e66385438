import type { RequestHandler } from 'express';
import { HttpError } from '../errors';

/** A path template of the document (`/v1/templates/{templateId}`) and the methods declared on it. */
interface DeclaredPath {
  pattern: RegExp;
  allow: string;
  methods: ReadonlySet<string>;
}

/**
 * Answers 405 with an `Allow` header when a path the document declares is called with a method it does not
 * declare (RFC 9110 §15.5.6), rather than the 404 of an unknown route, so a caller learns the path is right and the
 * method wrong. Built from the document's paths, so it allows exactly what the document declares.
 *
 * HEAD is allowed wherever GET is (Express answers it from the GET route). OPTIONS passes through on the paths in
 * `preflightPaths`: there it is the browser's CORS preflight, which the route answers itself.
 */
export function rejectUndeclaredMethods(
  paths: Record<string, object>,
  preflightPaths: readonly string[] = [],
): RequestHandler {
  const declared: DeclaredPath[] = Object.entries(paths).map(([template, item]) => {
    const methods = new Set(Object.keys(item).map((method) => method.toUpperCase()));
    if (methods.has('GET')) methods.add('HEAD');
    if (preflightPaths.includes(template)) methods.add('OPTIONS');
    return { pattern: patternOf(template), allow: [...methods].join(', '), methods };
  });
  return (req, res, next) => {
    const path = declared.find((candidate) => candidate.pattern.test(req.path));
    if (!path || path.methods.has(req.method)) {
      next();
      return;
    }
    res.setHeader('allow', path.allow);
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; allowed: ${path.allow}`));
  };
}

/** `/v1/templates/{templateId}` → a RegExp matching one non-empty segment per parameter (Express's `:param`). */
function patternOf(template: string): RegExp {
  const source = template
    .split(/\{\w+\}/)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  // Express ignores one trailing slash and letter case, so a declared path matches with either too.
  return new RegExp(`^${source}/?$`, 'i');
}
