import type { RequestHandler, Response } from 'express';
import type { AccountsRepository, Principal, Role } from '../db/accounts-repository';
import { HttpError } from '../errors';

/** Resolves `Authorization: Bearer <api key>` to its account and role; 401 otherwise. */
export function requireApiKey(accounts: AccountsRepository): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new HttpError(401, 'unauthorized', 'missing or malformed Authorization: Bearer <api key>');
    const principal = await accounts.findPrincipal(match[1]);
    if (!principal) throw new HttpError(401, 'unauthorized', 'unknown or revoked API key');
    res.locals.principal = principal;
    next();
  };
}

/** Refuses keys whose role is not listed (403). Agents send and read; admins also change settings. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    if (!roles.includes(principalOf(res).role)) {
      throw new HttpError(403, 'forbidden', `this route needs a key with role ${roles.join(' or ')}`);
    }
    next();
  };
}

/** The caller, as set by requireApiKey. */
export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new Error('requireApiKey must run before this handler');
  return principal;
}
