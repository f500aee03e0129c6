#!/usr/bin/env node
'use strict';

/**
 * Summarizes V8 .cpuprofile files (from `node --cpu-prof`): per process and thread, the busy time, the
 * top functions by self time, and the time by package, self and inclusive (a sample counts for every
 * package on its stack, so "winston 20 %" means 20 % of busy time was spent under winston's code).
 *
 *   node bench/profile-summary.js <dir> [--top 25] [--names <pid>=<name>,...] [--callers <regex> [--depth 4]]
 *
 * `--callers` lists, for functions whose name or location matches the regex, the call paths that led
 * there (by self time): "postMessage ← postTask ← runTask ← run" says who pays for what.
 */
const { readFileSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const IDLE = new Set(['(idle)', '(root)']);

/** Where a frame's code comes from: an npm package, a workspace lib/service, Node itself, or V8. */
function packageOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8 builtins)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    if (name === '@webrequests') return `@webrequests/${parts[1]}`;
    return name;
  }
  const workspace = /\/(libs|services)\/([^/]+)\//.exec(url);
  if (workspace) return `@webrequests/${workspace[2]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[1] === undefined ? url.slice(5) : url.slice(5).split('/').slice(0, 2).join('/')}`;
  if (url.startsWith('evalmachine') || url.startsWith('vm') || !url.includes('/')) return '(scenario / vm code)';
  return url;
}

function shortUrl(url) {
  if (!url) return '';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const workspace = /\/((libs|services)\/.*)$/.exec(url);
  return workspace ? workspace[1] : url.replace(/^file:\/\//, '');
}

/** Self and inclusive times (microseconds) of one profile, by function and by package. */
function analyze(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  const selfByPackage = new Map();
  const inclusiveByPackage = new Map();
  const stackPackages = new Map();
  let total = 0;
  let idle = 0;
  const packagesOnStack = (id) => {
    let cached = stackPackages.get(id);
    if (cached) return cached;
    cached = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at).callFrame;
      if (!IDLE.has(frame.functionName)) cached.add(packageOf(frame.url, frame.functionName));
    }
    stackPackages.set(id, cached);
    return cached;
  };
  profile.samples.forEach((id, i) => {
    const delta = Math.max(0, profile.timeDeltas[i + 1] ?? 0);
    const frame = byId.get(id).callFrame;
    total += delta;
    if (IDLE.has(frame.functionName)) {
      idle += delta;
      return;
    }
    const key = `${frame.functionName || '(anonymous)'}\t${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + delta);
    const pkg = packageOf(frame.url, frame.functionName);
    selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + delta);
    for (const onStack of packagesOnStack(id)) inclusiveByPackage.set(onStack, (inclusiveByPackage.get(onStack) ?? 0) + delta);
  });
  return { total, idle, busy: total - idle, self, selfByPackage, inclusiveByPackage };
}

function merge(into, from) {
  into.total += from.total;
  into.idle += from.idle;
  into.busy += from.busy;
  for (const field of ['self', 'selfByPackage', 'inclusiveByPackage']) {
    for (const [key, value] of from[field]) into[field].set(key, (into[field].get(key) ?? 0) + value);
  }
  return into;
}

const empty = () => ({ total: 0, idle: 0, busy: 0, self: new Map(), selfByPackage: new Map(), inclusiveByPackage: new Map() });
const topOf = (map, n) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);

/** `CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile` → pid and thread id. */
function idsOf(file) {
  const match = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(file);
  return match ? { pid: Number(match[1]), tid: Number(match[2]) } : { pid: 0, tid: 0 };
}

/**
 * Reads every profile in `dir` and groups them as "<name> main thread" and "<name> threads" (all
 * worker threads of one process merged). Answers `[{ label, files, stats }]`.
 */
function summarizeDir(dir, names = {}) {
  const groups = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    const { pid, tid } = idsOf(file);
    const label = `${names[pid] ?? `pid ${pid}`} ${tid === 0 ? 'main thread' : 'worker threads (merged)'}`;
    const group = groups.get(label) ?? { label, files: 0, stats: empty() };
    merge(group.stats, analyze(JSON.parse(readFileSync(join(dir, file), 'utf8'))));
    group.files += 1;
    groups.set(label, group);
  }
  return [...groups.values()];
}

function render(groups, top = 25) {
  const ms = (us) => (us / 1000).toFixed(0).padStart(7);
  const share = (us, busy) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const out = [];
  for (const { label, files, stats } of groups) {
    out.push(`== ${label} (${files} profile${files === 1 ? '' : 's'}): busy ${ms(stats.busy).trim()} ms of ${ms(stats.total).trim()} ms sampled (idle ${ms(stats.idle).trim()} ms)`);
    out.push('  top functions by self time:');
    for (const [key, us] of topOf(stats.self, top)) {
      const [name, where] = key.split('\t');
      out.push(`    ${ms(us)} ms ${share(us, stats.busy)}  ${name}  ${where}`);
    }
    out.push('  by package, self time:');
    for (const [pkg, us] of topOf(stats.selfByPackage, 15)) out.push(`    ${ms(us)} ms ${share(us, stats.busy)}  ${pkg}`);
    out.push('  by package, inclusive (time with the package anywhere on the stack):');
    for (const [pkg, us] of topOf(stats.inclusiveByPackage, 20)) out.push(`    ${ms(us)} ms ${share(us, stats.busy)}  ${pkg}`);
    out.push('');
  }
  return out.join('\n');
}

/** Self time of frames matching `pattern`, by their call path (`depth` callers up), over every profile. */
function callersIn(dir, pattern, depth = 4) {
  const paths = new Map();
  const label = (frame) => `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id).callFrame;
      if (!pattern.test(label(frame))) return;
      const chain = [];
      for (let at = id; at !== undefined && chain.length <= depth; at = parent.get(at)) chain.push(label(byId.get(at).callFrame));
      const key = `[${idsOf(file).tid === 0 ? 'main' : 'thread'}] ${chain.join('  <-  ')}`;
      paths.set(key, (paths.get(key) ?? 0) + Math.max(0, profile.timeDeltas[i + 1] ?? 0));
    });
  }
  return topOf(paths, 15).map(([path, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms  ${path}`).join('\n');
}

module.exports = { summarizeDir, render, callersIn };

if (require.main === module) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) {
    console.error('usage: node bench/profile-summary.js <dir> [--top 25] [--names <pid>=<name>,...] [--callers <regex> [--depth 4]]');
    process.exit(2);
  }
  const topAt = args.indexOf('--top');
  const namesAt = args.indexOf('--names');
  const names = namesAt >= 0 ? Object.fromEntries(args[namesAt + 1].split(',').map((pair) => pair.split('='))) : {};
  const callersAt = args.indexOf('--callers');
  const depthAt = args.indexOf('--depth');
  if (callersAt >= 0) console.log(callersIn(dir, new RegExp(args[callersAt + 1]), depthAt >= 0 ? Number(args[depthAt + 1]) : 4));
  else console.log(render(summarizeDir(dir, names), topAt >= 0 ? Number(args[topAt + 1]) : 25));
}
