/**
 * Rewrites the error catalogue table in docs/api.md from src/core/errors.ts, so the docs cannot
 * drift from the code (a test fails when they do). Run: npm run docs:errors
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ERRORS } from '../src/core/errors.js';

const START = '<!-- error-table:start -->';
const END = '<!-- error-table:end -->';

export function renderErrorTable(): string {
  const rows = Object.entries(ERRORS).map(([code, { status, message }]) => `| \`${code}\` | ${status} | ${message.replace(/\|/g, '\\|')} |`);
  return [START, '| code | status | default message |', '| --- | --- | --- |', ...rows, END].join('\n');
}

export function withErrorTable(doc: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`docs/api.md needs the markers ${START} and ${END}`);
  return doc.slice(0, start) + renderErrorTable() + doc.slice(end + END.length);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = new URL('../docs/api.md', import.meta.url);
  writeFileSync(file, withErrorTable(readFileSync(file, 'utf8')));
  console.log('docs/api.md: error table updated');
}
