import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
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

/**
 * Which part of the stack a function belongs to, so a profile answers "is the limit in our code?":
 * our source, a named package, module loading at start-up, garbage collection, or Node itself.
 */
export function areaOf(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (url.includes('/tsx/') || url.startsWith('node:internal/modules')) return 'module loading (start-up)';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inPackage) return inPackage[1]!;
  if (/\/(src|packages)\//.test(url)) return 'Real ID (src/)';
  if (/\/bench\//.test(url)) return 'benchmark producer (bench/)';
  if (url.startsWith('node:')) return 'Node.js core';
  return 'native and V8';
}

interface Tally { function: string; location: string; hits: number }

/** Self-time samples per key, leaving out idle time; `busy` is every non-idle sample. */
function tally(profile: CpuProfile, keyOf: (name: string, url: string, line: number) => { key: string; function: string; location: string }) {
  const byKey = new Map<string, Tally>();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0 || node.callFrame.functionName === '(idle)') continue;
    busy += hits;
    const { key, ...named } = keyOf(node.callFrame.functionName || '(anonymous)', node.callFrame.url, node.callFrame.lineNumber);
    const entry = byKey.get(key) ?? { ...named, hits: 0 };
    entry.hits += hits;
    byKey.set(key, entry);
  }
  const totalSamples = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const msPerSample = totalSamples > 0 ? (profile.endTime - profile.startTime) / 1000 / totalSamples : 0;
  return { entries: [...byKey.values()].sort((a, b) => b.hits - a.hits), busy, msPerSample };
}

/** Self time grouped by area (see areaOf), largest first; `function` holds the area's name. */
export function selfTimeByArea(profile: CpuProfile): TopFunction[] {
  const { entries, busy, msPerSample } = tally(profile, (name, url) => {
    const area = areaOf(name, url);
    return { key: area, function: area, location: '' };
  });
  return entries.map((entry) => ({
    function: entry.function, location: '', selfMs: Math.round(entry.hits * msPerSample),
    percent: busy > 0 ? Math.round((entry.hits / busy) * 1000) / 10 : 0,
  }));
}

/** The functions that spent the most time on the CPU themselves (not in their callees). */
export function topSelfTime(profile: CpuProfile, limit = 15): TopFunction[] {
  const { entries, busy, msPerSample } = tally(profile, (name, url, line) => {
    const location = shortLocation(url, line);
    return { key: `${name} ${location}`, function: name, location };
  });
  return entries
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
export function readMainThreadProfile(dir: string): { profile: CpuProfile; file: string } | null {
  const name = readdirSync(dir).find((entry) => /\.\d+\.0\.\d+\.cpuprofile$/.test(entry));
  if (!name) return null;
  const file = path.join(dir, name);
  return { profile: JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, file };
}

/**
 * The sending thread's profile from `dir`, or null: each worker thread writes its own, and the
 * sending thread's is the one that ran send-thread.ts (send-thread.mjs when bundled). Without it a
 * profile shows only half of a delivery: the HTTP half runs there (src/delivery/webhook-sender.ts).
 */
export function readSendingThreadProfile(dir: string): { profile: CpuProfile; file: string } | null {
  for (const name of readdirSync(dir).filter((entry) => /\.\d+\.[1-9]\d*\.\d+\.cpuprofile$/.test(entry))) {
    const file = path.join(dir, name);
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    if (profile.nodes.some((node) => /\/send-thread\.(ts|mjs)$/.test(node.callFrame.url))) return { profile, file };
  }
  return null;
}

/**
 * Keeps a row's whole profile beside the results (`bench/results/profiles/<row>.cpuprofile`), to
 * open in Chrome DevTools (Performance, "Load profile") or any flame-graph viewer: the summary
 * printed shows where the time goes, the file shows from where.
 */
export function keepProfile(file: string, row: string, resultsDir: string): string {
  const dir = path.join(resultsDir, 'profiles');
  mkdirSync(dir, { recursive: true });
  const kept = path.join(dir, `${row}.cpuprofile`);
  copyFileSync(file, kept);
  return kept;
}

/** What a profiled row reports: its hottest functions, and self time by area. */
export interface ProfileSummary {
  top: TopFunction[];
  areas: TopFunction[];
  /** Where the whole profile was kept. */
  file?: string;
  /** The same for the sending thread, where the service has one (the main thread's is the rest). */
  sendingThread?: ProfileSummary;
}

export function summariseProfile(profile: CpuProfile, file?: string): ProfileSummary {
  return { top: topSelfTime(profile), areas: selfTimeByArea(profile).slice(0, 10), file };
}

export function formatProfile(title: string, summary: ProfileSummary): string {
  const line = (f: TopFunction) => `  ${f.percent.toFixed(1).padStart(5)}%  ${String(f.selfMs).padStart(6)} ms  ${f.function}  ${f.location}`;
  const kept = summary.file ? [`Whole profile: ${path.relative(process.cwd(), summary.file)}`] : [];
  const thread = summary.sendingThread ? ['', formatProfile(`${title}, its sending thread`, summary.sendingThread)] : [];
  return [`Top self time — ${title}:`, ...summary.top.map(line), 'Self time by area:', ...summary.areas.map(line), ...kept, ...thread].join('\n');
}
