import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretSource } from '../../src/delivery/signing-secrets.js';
import { rotateSigningSecret } from '../../src/services/webhook-secret.js';
import { startTestService, type TestService } from '../support/service.js';

/**
 * What the worker signs with: read once a second per account at most. A rotation made in the same
 * process shows at once; another process (here a second source, as another worker's) sees it
 * within the second.
 */
describe('the worker\'s signing secrets', () => {
  let service: TestService;
  beforeAll(async () => { service = await startTestService('sqlite', { REALID_ROLE: 'api' }); });
  afterAll(async () => { await service?.close(); });

  it('picks up a rotation made in this process at once, and one made elsewhere within a second', async () => {
    const account = await service.account();
    const id = account.account.id;
    const here = service.ctx.signingSecrets;
    const elsewhere = createSecretSource(service.ctx.box);
    const now = Date.now();
    const before = (await here.secretsFor(service.ctx.db.kysely, [id], now)).get(id)!;
    expect(before).toHaveLength(1);
    expect(before[0]).toMatch(/^whsec_/);
    expect((await elsewhere.secretsFor(service.ctx.db.kysely, [id], now)).get(id)).toEqual(before);

    await rotateSigningSecret(service.ctx, id);
    // This process: the new secret first, the old one beside it (it still signs for 24 hours).
    const after = (await here.secretsFor(service.ctx.db.kysely, [id], now + 1)).get(id)!;
    expect(after).toHaveLength(2);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).toBe(before[0]);
    // Another process: the secrets it read, until a second has passed since it read them.
    expect((await elsewhere.secretsFor(service.ctx.db.kysely, [id], now + 999)).get(id)).toEqual(before);
    expect((await elsewhere.secretsFor(service.ctx.db.kysely, [id], now + 1_000)).get(id)).toEqual(after);
  });
});
