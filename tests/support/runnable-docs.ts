import { readFileSync } from 'node:fs';

/** A code block in the docs marked `<!-- runnable expect="…" -->`: run as written, checked by what it prints. */
export interface RunnableBlock {
  file: string;
  line: number;
  language: string;
  code: string;
  expects: string[];
}

export function runnableBlocks(file: string): RunnableBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: RunnableBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!--\s*runnable\b(.*?)-->\s*$/.exec(lines[i]);
    if (!marker) continue;
    const fence = /^```(\w+)/.exec(lines[i + 1] ?? '');
    if (!fence) throw new Error(`${file}:${i + 1}: a runnable marker must stand right before a code fence`);
    const end = lines.findIndex((line, j) => j > i + 1 && line.startsWith('```'));
    if (end < 0) throw new Error(`${file}:${i + 2}: unclosed code block`);
    blocks.push({
      file, line: i + 2, language: fence[1],
      code: lines.slice(i + 2, end).join('\n'),
      expects: [...marker[1].matchAll(/expect="([^"]*)"/g)].map((m) => m[1]),
    });
    i = end;
  }
  return blocks;
}
