import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Where an example receiver listens and the secret it verifies with, from arguments or the environment. */
export interface ReceiverConfig {
  host: string;
  port: number;
  secret: string;
}

const USAGE = 'usage: npx tsx examples/<framework>.ts --secret whsec_… [--port 3000] [--host 127.0.0.1]\n' +
  '   or: REAL_ID_SIGNING_KEY=whsec_… PORT=3000 npx tsx examples/<framework>.ts';

export function receiverConfig(args = process.argv.slice(2), env = process.env): ReceiverConfig {
  const { values } = parseArgs({ args, options: { secret: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } } });
  const secret = values.secret ?? env.REAL_ID_SIGNING_KEY;
  const port = Number(values.port ?? env.PORT ?? 3000);
  if (!secret) throw new Error(`No signing secret: copy it from Settings › DevTools.\n${USAGE}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`"${values.port ?? env.PORT}" is not a port.\n${USAGE}`);
  return { host: values.host ?? env.HOST ?? '127.0.0.1', port, secret };
}

/** True when this module is the script node was started with, so an example both runs and imports. */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(moduleUrl) === path.resolve(process.argv[1]);
}

export const WEBHOOK_PATH = '/webhooks/realid';
