import type { TestService } from '../support/service.js';

/** Small real images and helpers shared by the checks, customer, events and retention suites. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
/** A JPEG's SOI + JFIF APP0 header and a little data: what a sniffer sees first in any camera photo. */
export const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010101004800480000', 'hex'), Buffer.alloc(200, 0x42), Buffer.from('ffd9', 'hex')]);
export const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

export function tokenOf(link: string): string {
  return link.slice(link.lastIndexOf('/c/') + 3);
}

/** The service's own origin: config.publicUrl says port 0 when tests listen on a free port. */
export function localUrl(service: TestService, absolute: string): string {
  const url = new URL(absolute);
  return `${service.url}${url.pathname}${url.search}`;
}

export async function createCheck(service: TestService, key: string, body: Record<string, unknown> = {}) {
  const made = await service.api(key, 'POST', '/api/v1/checks', {
    customer: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.test' },
    ...body,
  });
  if (made.status !== 201) throw new Error(`check creation failed: ${made.status} ${JSON.stringify(made.body)}`);
  return made.body.check as { id: string; link: string; step: string; testing: boolean; [key: string]: any };
}

export async function customer(service: TestService, link: string, method: string, rest = '', init: RequestInit = {}) {
  const response = await fetch(`${service.url}/api/v1/customer/checks/${tokenOf(link)}${rest}`, { method, ...init });
  const text = await response.text();
  let body: any = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, body };
}

export function uploadRaw(service: TestService, link: string, kind: string, bytes: Buffer, type = 'image/png') {
  return customer(service, link, 'POST', `/photos/${kind}`, { headers: { 'content-type': type }, body: new Uint8Array(bytes) });
}

export function uploadForm(service: TestService, link: string, kind: string, bytes: Buffer, filename: string, field = 'photo') {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)]), filename);
  return customer(service, link, 'POST', `/photos/${kind}`, { body: form });
}

export async function eventTypes(service: TestService, key: string, checkId: string): Promise<string[]> {
  const listed = await service.api(key, 'GET', `/api/v1/events?check_id=${checkId}&limit=100`);
  return listed.body.data.map((event: { type: string }) => event.type);
}
