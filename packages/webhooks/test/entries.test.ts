import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, type HeaderSource } from '../src/index.js';
import type * as EdgeEntry from '../src/web.js';
import { outcome, vectorBody, vectorOptions, vectors } from './vectors.js';

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

  it('the edge entry, bundled, verifies every vector in a bare V8 context that has only Web APIs (no Buffer, process or require)', async () => {
    // esbuild (tsx's compiler) bundles as a Workers/edge build would; the context is what such a runtime offers.
    const bundle = await build({ entryPoints: [`${SRC}web.ts`], bundle: true, format: 'iife', globalName: 'realidWebhooks', platform: 'neutral', write: false, logLevel: 'silent' });
    const context = vm.createContext({ crypto: globalThis.crypto, TextEncoder, TextDecoder, atob, btoa });
    vm.runInContext(bundle.outputFiles[0].text, context);
    const edge = context.realidWebhooks as typeof EdgeEntry;
    const InnerUint8Array = vm.runInContext('Uint8Array', context) as Uint8ArrayConstructor;
    for (const vector of vectors.verify) {
      const body = vectorBody(vector);
      // Bytes as that realm's own Uint8Array, as they would be on a real edge runtime.
      const edgeBody = body instanceof Uint8Array ? new InnerUint8Array(body) : body;
      const result = await outcome(() => edge.verifyWebhookAsync(edgeBody, vector.headers, vector.secret, vectorOptions(vector)));
      expect(JSON.parse(JSON.stringify(result)), vector.name).toEqual(vector.expected);
    }
  });

  it('edge runtimes resolve the package to the edge entry, Node to the full one', () => {
    expect(verifyWebhookUnder('edge-light')).toMatch(/verifyWebhook needs node:crypto.*use verifyWebhookAsync/);
    expect(verifyWebhookUnder('workerd')).toMatch(/use verifyWebhookAsync/);
    expect(verifyWebhookUnder('node')).toMatch(/Neither webhook-signature nor X-Real-ID-Signature is present/);
  }, 120_000); // three node processes: seconds each, far more while other suites load the machine
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
