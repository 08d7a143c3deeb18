import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withErrorTable } from '../scripts/error-table.js';

describe('docs/api.md', () => {
  it('lists the error catalogue exactly as the code has it (run `npm run docs:errors` after adding a code)', () => {
    const doc = readFileSync('docs/api.md', 'utf8');
    expect(withErrorTable(doc)).toBe(doc);
  });
});
