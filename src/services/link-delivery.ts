import type { AppContext } from '../context.js';
import { findAccount } from '../db/repos/accounts.js';
import { type CheckRow, recordLinkDelivery } from '../db/repos/checks.js';
import { type Customer, type LinkDeliveryRecord, linkOf } from './checks-view.js';
import { emailLink } from './link-delivery-email.js';
import { webhookSmsSender } from './link-delivery-sms.js';

type Attempt = { channel: LinkDeliveryRecord['channel']; send: () => Promise<void> };

function attemptsFor(ctx: AppContext, customer: Customer, merchant: string, link: string): Attempt[] {
  const attempts: Attempt[] = [];
  if (customer.email && ctx.config.smtp.url) attempts.push({ channel: 'email', send: () => emailLink(ctx, customer.email!, merchant, link) });
  if (customer.phone && ctx.config.sms.webhookUrl) {
    const sms = webhookSmsSender(ctx.config.sms.webhookUrl);
    attempts.push({ channel: 'sms', send: () => sms.send(customer.phone!, `${merchant} asks you to verify your ID: ${link}`) });
  }
  return attempts;
}

/**
 * Sends the customer their link by email and/or SMS, whichever is configured and known. With
 * neither (development), the link is logged, and the merchant's dashboard shows it. The outcome
 * of each channel is kept on the check (`link_delivery`); a failure is logged, never thrown.
 */
export async function deliverLink(ctx: AppContext, check: CheckRow, customer: Customer, link: string): Promise<LinkDeliveryRecord[]> {
  const merchant = (await findAccount(ctx.db.kysely, check.account_id))?.name ?? 'A merchant';
  const attempts = attemptsFor(ctx, customer, merchant, link);
  const at = () => new Date().toISOString();
  if (attempts.length === 0) {
    ctx.log.info({ checkId: check.id, link }, 'no email or SMS is configured for this customer; the check link is logged instead');
    return [{ channel: 'log', status: 'logged', at: at() }];
  }
  return Promise.all(attempts.map(async ({ channel, send }): Promise<LinkDeliveryRecord> => {
    try {
      await send();
      return { channel, status: 'sent', at: at() };
    } catch (error) {
      ctx.log.warn({ err: error, checkId: check.id, channel }, 'could not send the check link');
      return { channel, status: 'failed', error: (error as Error).message, at: at() };
    }
  }));
}

/** After the check's commit: deliver, then record the outcome; never throws, never blocks the caller. */
export function deliverLinkInBackground(ctx: AppContext, check: CheckRow, customer: Customer): void {
  void (async () => {
    const records = await deliverLink(ctx, check, customer, linkOf(ctx, check)!);
    await recordLinkDelivery(ctx.db.kysely, check.id, JSON.stringify(records));
  })().catch((error) => ctx.log.warn({ err: error, checkId: check.id }, 'could not record how the check link was delivered'));
}
