import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that self time needs. */
export interface CpuProfile {
  nodes: Array<{ id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface TopFunction {
  function: string;
  /** `file:line`, shortened to the repository or package it belongs to. */
  location: string;
  selfMs: number;
  /** Share of the samples in which the process was not idle. */
  percent: number;
}

/** Where a function lives, in words a reader can act on: our code, a named package, or Node itself. */
export function shortLocation(url: string, line: number): string {
  if (!url) return '(native)';
  const file = url.replace(/^file:\/\//, '');
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(file);
  if (inPackage) return `${inPackage[1]}/${inPackage[2]}:${line + 1}`;
  const inRepo = /\/(src|bench|packages)\/(.*)$/.exec(file);
  if (inRepo) return `${inRepo[1]}/${inRepo[2]}:${line + 1}`;
  return `${file}:${line + 1}`;
}

/** The functions that spent the most time on the CPU themselves (not in their callees). */
export function topSelfTime(profile: CpuProfile, limit = 15): TopFunction[] {
  const totalSamples = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const msPerSample = totalSamples > 0 ? (profile.endTime - profile.startTime) / 1000 / totalSamples : 0;
  const byFunction = new Map<string, { function: string; location: string; hits: number }>();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0 || node.callFrame.functionName === '(idle)') continue;
    busy += hits;
    const name = node.callFrame.functionName || '(anonymous)';
    const location = shortLocation(node.callFrame.url, node.callFrame.lineNumber);
    const key = `${name} ${location}`;
    const entry = byFunction.get(key) ?? { function: name, location, hits: 0 };
    entry.hits += hits;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, limit)
    .map((entry) => ({
      function: entry.function,
      location: entry.location,
      selfMs: Math.round(entry.hits * msPerSample),
      percent: busy > 0 ? Math.round((entry.hits / busy) * 1000) / 10 : 0,
    }));
}

/**
 * The main thread's profile from `dir` (Node names them `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`;
 * tsx's module loader runs in thread 1 and writes its own), or null when the process wrote none
 * because it did not exit normally.
 */
export function readMainThreadProfile(dir: string): CpuProfile | null {
  const file = readdirSync(dir).find((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name));
  return file ? (JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile) : null;
}

export function formatProfile(title: string, top: readonly TopFunction[]): string {
  const lines = top.map((f) => `  ${f.percent.toFixed(1).padStart(5)}%  ${String(f.selfMs).padStart(6)} ms  ${f.function}  ${f.location}`);
  return [`Top self time — ${title}:`, ...lines].join('\n');
}
