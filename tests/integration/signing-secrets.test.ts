import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretSource } from '../../src/delivery/signing-secrets.js';
import { rotateSigningSecret } from '../../src/services/webhook-secret.js';
import { startTestService, type TestService } from '../support/service.js';

/** What the worker signs with: read once a second per account at most, so a rotation shows within a second. */
describe('the worker\'s signing secrets', () => {
  let service: TestService;
  beforeAll(async () => { service = await startTestService('sqlite', { REALID_ROLE: 'api' }); });
  afterAll(async () => { await service?.close(); });

  it('reads an account\'s secrets again a second after it last did, and so picks up a rotation', async () => {
    const account = await service.account();
    const id = account.account.id;
    const secretsFor = createSecretSource(service.ctx.box);
    const now = Date.now();
    const before = (await secretsFor(service.ctx.db.kysely, [id], now)).get(id)!;
    expect(before).toHaveLength(1);
    expect(before[0]).toMatch(/^whsec_/);

    await rotateSigningSecret(service.ctx, id);
    // Within the second: the secrets already read (the old one still signs for 24 hours).
    expect((await secretsFor(service.ctx.db.kysely, [id], now + 999)).get(id)).toEqual(before);
    // After it: the new one first, the old one beside it.
    const after = (await secretsFor(service.ctx.db.kysely, [id], now + 1_000)).get(id)!;
    expect(after).toHaveLength(2);
    expect(after[1]).toBe(before[0]);
    expect(after[0]).not.toBe(before[0]);
  });
});
