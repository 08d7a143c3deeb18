import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzerInput } from '../core/analyzer.js';
import { AnalyzerUnavailableError, httpAnalyzer, parseAnalyzerResponse } from './checks-analyzer-http.js';

const input: AnalyzerInput = {
  checkId: 'chk_test', newPhoto: 'id_front', lastName: null,
  rules: { id_check_type: 'id', include_back_of_id: false, min_age: null, testing: false },
  loadPhotos: async () => [{ kind: 'id_front', mime: 'image/png', bytes: Buffer.from('photo') }],
};

describe('parseAnalyzerResponse', () => {
  it('keeps known sub-checks, rounds and bounds scores, drops unknown error names', () => {
    expect(parseAnalyzerResponse({ sub_checks: [
      { type: 'face_match', status: 'failed', score: 31.6, error: 'FaceMatchError' },
      { type: 'not_expired', status: 'passed', score: 140, error: 'SomethingElse' },
    ] })).toEqual([{ type: 'face_match', status: 'failed', score: 32, error: 'FaceMatchError' }, { type: 'not_expired', status: 'passed', score: 100 }]);
  });

  it('refuses an answer it cannot trust', () => {
    expect(() => parseAnalyzerResponse({ verdict: 'ok' })).toThrow(AnalyzerUnavailableError);
    expect(() => parseAnalyzerResponse({ sub_checks: [{ type: 'vibes', status: 'passed' }] })).toThrow(/unknown sub-check/);
    expect(() => parseAnalyzerResponse({ sub_checks: [{ type: 'face_match', status: 'maybe' }] })).toThrow(/unknown sub-check/);
  });
});

describe('the HTTP analyzer', () => {
  let server: Server;
  let url = '';
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(request.url!);
      // /hang never answers; /bad answers 400 (final, not retried).
      if (request.url === '/hang') return;
      response.writeHead(400).end('no');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => { server.closeAllConnections(); server.close(); });

  it('gives up on a vendor that does not answer after the timeout and its retries', async () => {
    const started = Date.now();
    await expect(httpAnalyzer({ url: `${url}/hang`, timeoutMs: 300, retries: 1 }).analyze(input)).rejects.toThrow(/no answer within 300 ms/);
    // Two attempts of 300 ms and a 250 ms pause between them; a loaded machine may not even let the
    // second request reach the server in time, so the clock proves the retry, not the hit count.
    expect(Date.now() - started).toBeGreaterThanOrEqual(850);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(hits.filter((h) => h === '/hang').length).toBeLessThanOrEqual(2);
  });

  it('does not retry a 4xx answer', async () => {
    await expect(httpAnalyzer({ url: `${url}/bad`, timeoutMs: 2000, retries: 3 }).analyze(input)).rejects.toThrow(/HTTP 400/);
    expect(hits.filter((h) => h === '/bad')).toHaveLength(1);
  });
});
