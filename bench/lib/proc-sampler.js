'use strict';

const { execFileSync } = require('node:child_process');
const { readFileSync, readdirSync } = require('node:fs');
const { cpus } = require('node:os');

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The processes whose parent is `pid` (a worker's sandbox processes), from /proc. */
function childrenOf(pid) {
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

function ownRssOf(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Resident set size of `pid` in bytes (all its threads) plus that of its child processes (a worker's
 * sandbox processes are part of its cost), or null once it is gone.
 */
function rssOf(pid) {
  const own = ownRssOf(pid);
  if (own === null) return null;
  return childrenOf(pid).reduce((sum, child) => sum + (ownRssOf(child) ?? 0), own);
}

function ownCpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return null;
  }
}

/**
 * User + system CPU seconds used so far by `pid` alone (`own`) and by its living child processes summed
 * (`children`: a worker's sandbox processes), or null once it is gone.
 */
function cpuSecondsOf(pid) {
  const own = ownCpuSecondsOf(pid);
  if (own === null) return null;
  return { own, children: childrenOf(pid).reduce((sum, child) => sum + (ownCpuSecondsOf(child) ?? 0), 0) };
}

/** CPU seconds between two `cpuSecondsOf` readings: `{ cpuSeconds, ownCpuSeconds, childCpuSeconds }`, or null. */
function cpuUsedBetween(start, end) {
  if (start === null || end === null) return null;
  const ownCpuSeconds = end.own - start.own;
  const childCpuSeconds = end.children - start.children;
  return { cpuSeconds: ownCpuSeconds + childCpuSeconds, ownCpuSeconds, childCpuSeconds };
}

/**
 * Jiffies of the whole machine, from the first line of /proc/stat: `busy` is time in processes (user,
 * nice, system) plus steal; interrupt time (`irq`, mostly loopback networking under load) is apart,
 * since it belongs to no process and would otherwise count as someone else's work.
 */
function machineCpu() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
    return { busy: user + nice + system + steal, irq: irq + softirq, total: user + nice + system + idle + iowait + irq + softirq + steal };
  } catch {
    return null;
  }
}

/** The pid of the `redis-server` listening on `port`, found by its command line; null if none. */
function redisPidOf(port) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes('redis-server') && (cmdline.includes(`:${port}`) || cmdline.includes(`--port ${port}`))) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return null;
}

/**
 * Samples the RSS of each named pid every `intervalMs` (the 200 ms) and their CPU time at start
 * and stop. `stop()` answers, per name, `{ peakRssMb, cpuPercent, cpuSeconds, ownCpuSeconds,
 * childCpuSeconds }` (100 % = one core busy; `cpuSeconds` = the process alone + its child processes), plus
 * `machine`: `{ cpuPercent, irqCpuPercent }` of the whole machine and `otherCpuPercent`, what processes
 * not sampled here used (other people's work on a shared machine: the noise in the numbers).
 */
function sampleProcesses(pids, intervalMs = 200) {
  const names = Object.keys(pids).filter((name) => pids[name]);
  const peak = Object.fromEntries(names.map((name) => [name, 0]));
  const cpuAtStart = Object.fromEntries(names.map((name) => [name, cpuSecondsOf(pids[name])]));
  const startedAt = process.hrtime.bigint();
  const machineAtStart = machineCpu();
  const benchAtStart = process.cpuUsage();
  const cores = cpus().length;
  const sample = () => {
    for (const name of names) peak[name] = Math.max(peak[name], rssOf(pids[name]) ?? 0);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const out = {};
      for (const name of names) {
        const used = cpuUsedBetween(cpuAtStart[name], cpuSecondsOf(pids[name]));
        out[name] = {
          peakRssMb: peak[name] / (1024 * 1024),
          cpuPercent: used === null ? null : (100 * used.cpuSeconds) / seconds,
          ...(used ?? { cpuSeconds: null, ownCpuSeconds: null, childCpuSeconds: null }),
        };
      }
      const machineAtEnd = machineCpu();
      if (machineAtStart && machineAtEnd && machineAtEnd.total > machineAtStart.total) {
        const share = (field) => (100 * cores * (machineAtEnd[field] - machineAtStart[field])) / (machineAtEnd.total - machineAtStart.total);
        const cpuPercent = share('busy');
        const bench = process.cpuUsage(benchAtStart);
        // The bench process itself (sampling, IPC) counts as ours.
        const ours = names.reduce((sum, name) => sum + (out[name].cpuPercent ?? 0), 0) + (100 * (bench.user + bench.system)) / 1e6 / seconds;
        out.machine = { cores, cpuPercent, irqCpuPercent: share('irq'), otherCpuPercent: Math.max(0, cpuPercent - ours) };
      }
      return out;
    },
  };
}

/**
 * On a shared machine: waits until the whole machine uses under `limitPercent` (one core = 100) for
 * three 1-second windows in a row, at most `maxSeconds`. Answers whether it got that quiet.
 */
async function waitForQuiet(maxSeconds, limitPercent = 15) {
  const cores = cpus().length;
  const until = Date.now() + maxSeconds * 1000;
  let quiet = 0;
  while (Date.now() < until) {
    const before = machineCpu();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = machineCpu();
    if (!before || !after) return false;
    const used = (100 * cores * (after.busy - before.busy)) / (after.total - before.total);
    quiet = used < limitPercent ? quiet + 1 : 0;
    if (quiet >= 3) return true;
  }
  return false;
}

module.exports = { sampleProcesses, redisPidOf, rssOf, waitForQuiet };
