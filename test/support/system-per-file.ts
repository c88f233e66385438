import { after, before } from 'node:test';
import { startSystem, type TestAccount, type TestSystem } from './system';

/** The system a test file shares and the one account its tests use. */
export interface StartedSystem {
  system: TestSystem;
  account: TestAccount;
}

/**
 * Starts the whole system and one A2P-verified account before the tests of the enclosing describe, and closes the
 * system after them. `use` receives both once they are up, so the file keeps plain `system` and `account` variables.
 */
export function startSystemPerFile(
  use: (started: StartedSystem) => void,
  options?: Parameters<typeof startSystem>[0],
): void {
  let system: TestSystem | undefined;
  before(async () => {
    system = await startSystem(options);
    use({ system, account: await system.createAccount() });
  });
  after(async () => {
    await system?.close();
  });
}

/**
 * Counts what a webhook may change for a number of the account: stored texts, Do Not Contact entries and ledger
 * rows. Tests compare it before and after a request that must change nothing.
 */
export async function footprintOf(
  system: TestSystem,
  accountId: string,
  phone: string,
): Promise<{ messages: number; dnc: number; ledger: number }> {
  const count = async (table: string) =>
    Number(
      (await system.db.knex(table).where({ account_id: accountId, phone }).count<{ count: string }[]>('* as count'))[0]!
        .count,
    );
  const [messages, dnc, ledger] = await Promise.all([
    count('messages'),
    count('do_not_contact'),
    count('consent_events'),
  ]);
  return { messages, dnc, ledger };
}
