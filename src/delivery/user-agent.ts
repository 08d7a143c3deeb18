import { PACKAGE_VERSION } from '../project-root.js';

/** `RealID-Webhooks/<version> (+docs)`: names the product and version, so receivers' logs say who called. */
export const USER_AGENT = `RealID-Webhooks/${PACKAGE_VERSION} (+https://realid.example/docs/webhooks)`;
