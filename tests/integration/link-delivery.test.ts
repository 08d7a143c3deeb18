import { createServer, type Server } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { freePort } from '../support/postgres-server.js';
import { startTestService, type TestService } from '../support/service.js';
import { createCheck } from './checks-fixtures.js';

interface Mail { to: string[]; text: string }
interface Sms { to: string; body: string }

/** Mail bodies wrap long lines as quoted-printable; undo it to read the link as the customer sees it. */
function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A real SMTP server on loopback that keeps what it receives and bounces bounce@… recipients. */
async function startSmtp(mails: Mail[]): Promise<{ port: number; close(): Promise<void> }> {
  const port = await freePort();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(address.address.startsWith('bounce@') ? Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text: decodeQuotedPrintable(Buffer.concat(chunks).toString('utf8')) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The operator's SMS bridge: answers 500 for numbers ending in 0000. */
async function startSmsBridge(messages: Sms[]): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      const sms = JSON.parse(body) as Sms;
      messages.push(sms);
      response.writeHead(sms.to.endsWith('0000') ? 500 : 202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/sms`, server };
}

async function linkDeliveryOf(service: TestService, key: string, id: string) {
  for (let i = 0; i < 100; i++) {
    const check = (await service.api(key, 'GET', `/api/v1/checks/${id}`)).body;
    if (check.link_delivery.length > 0) return check.link_delivery as Array<{ channel: string; status: string; error?: string }>;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the link delivery was never recorded');
}

for (const dialect of DIALECTS) {
  describe(`delivering the check link on ${dialect}`, () => {
    const mails: Mail[] = [];
    const messages: Sms[] = [];
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let sms: Awaited<ReturnType<typeof startSmsBridge>>;
    let service: TestService;
    beforeAll(async () => {
      smtp = await startSmtp(mails);
      sms = await startSmsBridge(messages);
      service = await startTestService(dialect, { REALID_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, REALID_SMS_WEBHOOK_URL: sms.url });
    });
    afterAll(async () => {
      await service?.close();
      await smtp?.close();
      sms?.server.close();
    });

    it('emails and texts the customer their link', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.test.key, { customer: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.test', phone: '+15551234567' } });
      const records = await linkDeliveryOf(service, keys.test.key, check.id);
      expect(records.map((r) => `${r.channel}:${r.status}`).sort()).toEqual(['email:sent', 'sms:sent']);
      const mail = mails.find((m) => m.to.includes('ada@example.test'))!;
      expect(mail.text).toContain(check.link);
      expect(mail.text).toMatch(/Subject: Test \d+: please verify your ID/);
      const text = messages.find((m) => m.to === '+15551234567')!;
      expect(text.body).toContain(check.link);
    });

    it('creates the check even when the link cannot be sent, and records why', async () => {
      const { keys } = await service.account();
      const started = Date.now();
      const made = await service.api(keys.test.key, 'POST', '/api/v1/checks', { customer: { first_name: 'B', last_name: 'C', email: 'bounce@example.test', phone: '+15559990000' } });
      expect(made.status).toBe(201);
      expect(Date.now() - started).toBeLessThan(5_000);
      const records = await linkDeliveryOf(service, keys.test.key, made.body.check.id);
      expect(records.find((r) => r.channel === 'email')).toMatchObject({ status: 'failed', error: expect.stringMatching(/550|mailbox/) });
      expect(records.find((r) => r.channel === 'sms')).toMatchObject({ status: 'failed', error: 'the SMS webhook answered HTTP 500' });
    });
  });
}

describe('delivering the check link with nothing configured (development)', () => {
  let service: TestService;
  beforeAll(async () => { service = await startTestService('sqlite'); });
  afterAll(async () => { await service?.close(); });

  it('logs the link and returns it in the API response for the dashboard', async () => {
    const { keys } = await service.account();
    const check = await createCheck(service, keys.test.key);
    expect(check.link).toMatch(/\/c\//);
    expect(await linkDeliveryOf(service, keys.test.key, check.id)).toEqual([{ channel: 'log', status: 'logged', at: expect.any(String) }]);
  });
});
