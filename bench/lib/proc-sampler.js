'use strict';

const { execFileSync } = require('node:child_process');
const { readFileSync, readdirSync } = require('node:fs');

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

/** Resident set size of `pid` in bytes (all its threads), or null once it is gone. */
function rssOf(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** User + system CPU seconds `pid` has used so far, or null once it is gone. */
function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
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
 * and stop. `stop()` answers, per name, `{ peakRssMb, cpuPercent }` (100 % = one core busy).
 */
function sampleProcesses(pids, intervalMs = 200) {
  const names = Object.keys(pids).filter((name) => pids[name]);
  const peak = Object.fromEntries(names.map((name) => [name, 0]));
  const cpuAtStart = Object.fromEntries(names.map((name) => [name, cpuSecondsOf(pids[name])]));
  const startedAt = process.hrtime.bigint();
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
        const end = cpuSecondsOf(pids[name]);
        const used = end !== null && cpuAtStart[name] !== null ? end - cpuAtStart[name] : null;
        out[name] = { peakRssMb: peak[name] / (1024 * 1024), cpuPercent: used === null ? null : (100 * used) / seconds };
      }
      return out;
    },
  };
}

module.exports = { sampleProcesses, redisPidOf, rssOf };
