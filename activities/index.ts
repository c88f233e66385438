import { createMessagingActivities, type MessagingDeps } from './messaging';

export type { ClaimOutbound, ConsentStore, SmsGateway, SendOutcome, OutboundClaim, MessagingDeps } from './messaging';
export type * from './types';

/** Every activity the worker registers, built from injected dependencies (interfaces, not knex or SDK objects). */
export function createActivities(deps: MessagingDeps) {
  return {
    ...createMessagingActivities(deps),
  };
}

/** The activity interface the workflow proxies. */
export type Activities = ReturnType<typeof createActivities>;
