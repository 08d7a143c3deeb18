import nodemailer, { type Transporter } from 'nodemailer';
import type { AppContext } from '../context.js';

/** One SMTP transport per running service (REALID_SMTP_URL, e.g. smtp://user:pass@mail.example:587). */
const transports = new WeakMap<AppContext, Transporter>();

function transportOf(ctx: AppContext): Transporter {
  let transport = transports.get(ctx);
  if (!transport) {
    transport = nodemailer.createTransport(ctx.config.smtp.url!, {
      // Bounded, so a dead mail server costs seconds, not the default minutes.
      connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000,
    } as never);
    transports.set(ctx, transport);
  }
  return transport;
}

export async function emailLink(ctx: AppContext, to: string, merchantName: string, link: string): Promise<void> {
  const text = [
    `${merchantName} asks you to verify your ID.`,
    '',
    `Open this link on your phone and follow the steps: ${link}`,
    '',
    'You will need your ID document and, if asked, a selfie. If you did not expect this, ignore this email.',
  ].join('\n');
  await transportOf(ctx).sendMail({ from: ctx.config.smtp.from, to, subject: `${merchantName}: please verify your ID`, text });
}
