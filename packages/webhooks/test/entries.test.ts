import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, type HeaderSource } from '../src/index.js';
import { vectors } from './vectors.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every source file reachable from an entry through relative imports. */
function reachableFiles(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(SRC + entry, 'utf8');
  for (const [, specifier] of source.matchAll(/from '\.\/([\w-]+)\.js'/g)) reachableFiles(`${specifier}.ts`, seen);
  return seen;
}

/** What the package resolves to under an export condition, as a bundler for that runtime would pick it. */
function verifyWebhookUnder(condition: string): string {
  const script = "import('@realid/webhooks').then((sdk) => { try { sdk.verifyWebhook('{}', {}, 'whsec_AAAA'); } catch (error) { console.log(error.message); } })";
  return execFileSync(process.execPath, [`--conditions=${condition}`, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
}

describe('entry points', () => {
  it('the edge entry reaches no node: module and no Buffer, so Workers and the Next.js edge runtime can bundle it', () => {
    const files = reachableFiles('web.ts');
    expect(files.size).toBeGreaterThan(8);
    for (const file of files) {
      const source = readFileSync(SRC + file, 'utf8');
      expect(source, file).not.toMatch(/from 'node:|require\(|\bBuffer\./);
    }
  });

  it('edge runtimes resolve the package to the edge entry, Node to the full one', () => {
    expect(verifyWebhookUnder('edge-light')).toMatch(/verifyWebhook needs node:crypto.*use verifyWebhookAsync/);
    expect(verifyWebhookUnder('workerd')).toMatch(/use verifyWebhookAsync/);
    expect(verifyWebhookUnder('node')).toMatch(/Neither webhook-signature nor X-Real-ID-Signature is present/);
  });
});

describe('headers in the shapes frameworks hand over', () => {
  const delivery = vectors.verify.find((vector) => vector.name === 'check.completed: a delivery with both schemes')!;
  const verifyWith = (headers: HeaderSource) => verifyWebhook(delivery.body!, headers, delivery.secret, { now: delivery.now * 1000 });

  it("Node's IncomingHttpHeaders, with a repeated webhook-signature as an array (rotation split over two lines)", () => {
    const rotation = vectors.verify.find((vector) => vector.name === 'rotation: two signatures, verified with the new secret')!;
    const [oldSignature, newSignature] = rotation.headers['webhook-signature'].split(' ');
    const incoming = { ...rotation.headers, 'webhook-signature': [oldSignature, newSignature], host: '127.0.0.1' };
    expect(verifyWebhook(rotation.body!, incoming, rotation.secret, { now: rotation.now * 1000 }).event).toBe('check.completed');
  });

  it('a fetch Headers with the signatures appended one by one', () => {
    const headers = new Headers(delivery.headers);
    headers.delete('webhook-signature');
    headers.append('webhook-signature', 'v1,bm90IHRoaXMgb25l');
    headers.append('webhook-signature', delivery.headers['webhook-signature']);
    expect(verifyWith(headers).event).toBe('check.completed');
  });

  it('a Map-like object with get() that ignores case', () => {
    const lower = new Map(Object.entries(delivery.headers));
    expect(verifyWith({ get: (name: string) => lower.get(name.toLowerCase()) ?? null }).check.id).toBe('abcdef');
  });
});
