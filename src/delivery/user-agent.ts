import { readFileSync } from 'node:fs';

/** `RealID-Webhooks/<version> (+docs)`: names the product and version, so receivers' logs say who called. */
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const USER_AGENT = `RealID-Webhooks/${version} (+https://realid.example/docs/webhooks)`;
