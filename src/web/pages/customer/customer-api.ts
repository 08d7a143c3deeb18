import { api } from '../../api/client.js';
import type { PhotoKind } from '../../api/types.js';

/** What the customer's page gets for its link: progress and outcome, never personal data. */
export interface CustomerCheck {
  merchant: { name: string };
  step: string;
  testing: boolean;
  id_check_type: 'id' | 'idv';
  photos_required: PhotoKind[];
  photos_received: PhotoKind[];
  photos_needed: PhotoKind[];
  awaiting_review: boolean;
  outcome: 'passed' | 'failed' | null;
}

export type PrivacyRequestType = 'data_request' | 'manual_review' | 'data_deletion';

/** The link's token is the only credential; a 401/404 here is about the link, not a merchant session. */
const base = (token: string) => `/api/v1/customer/checks/${encodeURIComponent(token)}`;
const publicPage = { publicPage: true };

/** Accepts either the bare view or one wrapped as `{check: …}`. */
const unwrap = (body: CustomerCheck | { check: CustomerCheck }): CustomerCheck => ('check' in body ? body.check : body);

export const customerApi = {
  get: async (token: string) => unwrap(await api.get(base(token), publicPage)),
  open: async (token: string) => unwrap(await api.post(`${base(token)}/open`, undefined, publicPage)),
  // The server judges a photo by its bytes; a file the browser could not type still goes as bytes.
  sendPhoto: async (token: string, kind: PhotoKind, photo: Blob) => {
    const raw = photo.type.startsWith('image/') ? photo : new Blob([photo], { type: 'application/octet-stream' });
    return unwrap(await api.post(`${base(token)}/photos/${kind}`, undefined, { ...publicPage, raw }));
  },
  requestPrivacy: (token: string, type: PrivacyRequestType) => api.post(`${base(token)}/privacy-requests`, { type }, publicPage),
};
