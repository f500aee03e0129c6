'use strict';

/** The issue's goals, checked per stack run against the baseline measured in the same bench run. */
const GOALS = {
  syncC64ShareOfBaseline: 0.25,
  asyncC64ShareOfBaseline: 0.6,
  asyncDrainMinPerS: 2500,
  c1P50SlackMs: 1,
  c1P99SlackMs: 5,
  /** The MongoDB store (FerretDB on PostgreSQL) against SQLite, sync-noop-c64 rps, same run. */
  mongoShareOfSqlite: 0.5,
  ingressRssMaxMb: 150,
  /** Authentication and de-duplication: at most this much of sync c64 throughput, and this much c1 p50. */
  protectionC64MaxCost: 0.05,
  protectionC1P50MaxMs: 0.3,
  workerRssMaxMb: 300,
};

const fixed = (value, digits = 1) => (value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits));
const pct = (value) => (value === null || value === undefined ? '-' : `${(100 * value).toFixed(1)} %`);
const failures = (c) => c.errors + c.timeouts + c.non2xx;

/** The ratios the issue asks for; null where a case was not run. */
function ratiosOf(run, baseline) {
  const c = run.cases;
  const b = baseline;
  const ratio = (x, y) => (x && y ? x.rps / y.rps : null);
  const delta = (x, y, p) => (x && y ? x.latencyMs[p] - y.latencyMs[p] : null);
  return {
    syncNoopC64VsBaselineC64: ratio(c['sync-noop-c64'], b['baseline-c64']),
    asyncC64VsBaselineC64: ratio(c['async-c64'], b['baseline-c64']),
    syncJson10kC64VsBaselineJson10kC64: ratio(c['sync-json-10k-c64'], b['baseline-json-10k-c64']),
    syncNoopC1VsBaselineC1: ratio(c['sync-noop-c1'], b['baseline-c1']),
    syncNoopC1P50MinusBaselineMs: delta(c['sync-noop-c1'], b['baseline-c1'], 'p50'),
    syncNoopC1P99MinusBaselineMs: delta(c['sync-noop-c1'], b['baseline-c1'], 'p99'),
    syncSignedC64VsOpenC64: ratio(c['sync-signed-c64'], c['sync-open-c64']),
    syncSignedC1P50MinusOpenMs: delta(c['sync-signed-c1'], c['sync-open-c1'], 'p50'),
  };
}

function goal(name, needed, check) {
  if (needed.some((x) => !x)) return { name, met: null, detail: 'not run' };
  const { met, detail } = check();
  return { name, met, detail };
}

/** Each goal as `{ name, met: true|false|null (not run), detail }`. */
function goalsOf(run, baseline) {
  const c = run.cases;
  const b = baseline;
  const s64 = c['sync-noop-c64'];
  const a64 = c['async-c64'];
  const s1 = c['sync-noop-c1'];
  const b64 = b['baseline-c64'];
  const b1 = b['baseline-c1'];
  const all = [...Object.values(c), ...Object.values(b)];
  return [
    goal(`sync-noop-c64 >= ${GOALS.syncC64ShareOfBaseline * 100} % of baseline-c64 rps`, [s64, b64], () => ({
      met: s64.rps >= GOALS.syncC64ShareOfBaseline * b64.rps,
      detail: `${fixed(s64.rps, 0)} / ${fixed(b64.rps, 0)} = ${pct(s64.rps / b64.rps)}`,
    })),
    goal(`async-c64 >= ${GOALS.asyncC64ShareOfBaseline * 100} % of baseline-c64 rps`, [a64, b64], () => ({
      met: a64.rps >= GOALS.asyncC64ShareOfBaseline * b64.rps,
      detail: `${fixed(a64.rps, 0)} / ${fixed(b64.rps, 0)} = ${pct(a64.rps / b64.rps)}`,
    })),
    goal(`async-c64 drain >= ${GOALS.asyncDrainMinPerS} processes/s`, [a64], () => ({
      met: a64.drain.processesPerS !== null && a64.drain.processesPerS >= GOALS.asyncDrainMinPerS,
      detail: a64.drain.drained
        ? `${fixed(a64.drain.processesPerS, 0)} processes/s end to end (${a64.drain.accepted} in ${fixed(a64.drain.totalS, 2)} s; backlog ${a64.drain.backlogAtLoadEnd} at load end, gone ${fixed(a64.drain.drainAfterLoadS, 2)} s later)`
        : 'backlog not drained within the limit',
    })),
    goal(`sync-noop-c1 p50 <= baseline p50 + ${GOALS.c1P50SlackMs} ms`, [s1, b1], () => ({
      met: s1.latencyMs.p50 <= b1.latencyMs.p50 + GOALS.c1P50SlackMs,
      detail: `${fixed(s1.latencyMs.p50, 2)} ms vs ${fixed(b1.latencyMs.p50, 2)} ms (+${fixed(s1.latencyMs.p50 - b1.latencyMs.p50, 2)})`,
    })),
    goal(`sync-noop-c1 p99 <= baseline p99 + ${GOALS.c1P99SlackMs} ms`, [s1, b1], () => ({
      met: s1.latencyMs.p99 <= b1.latencyMs.p99 + GOALS.c1P99SlackMs,
      detail: `${fixed(s1.latencyMs.p99, 2)} ms vs ${fixed(b1.latencyMs.p99, 2)} ms (+${fixed(s1.latencyMs.p99 - b1.latencyMs.p99, 2)})`,
    })),
    goal('zero errors, timeouts and non-2xx in every case', [all.length > 0], () => {
      const bad = all.filter((x) => failures(x) > 0);
      return { met: bad.length === 0, detail: bad.length === 0 ? `${all.length} cases clean` : bad.map((x) => `${x.name}: ${x.errors} errors, ${x.timeouts} timeouts, ${x.non2xx} non-2xx ${JSON.stringify(x.statusCodes)}`).join('; ') };
    }),
    goal(`sync-signed-c64 >= ${100 - GOALS.protectionC64MaxCost * 100} % of sync-open-c64 rps`, [c['sync-signed-c64'], c['sync-open-c64']], () => ({
      met: c['sync-signed-c64'].rps >= (1 - GOALS.protectionC64MaxCost) * c['sync-open-c64'].rps,
      detail: `${fixed(c['sync-signed-c64'].rps, 0)} / ${fixed(c['sync-open-c64'].rps, 0)} = ${pct(c['sync-signed-c64'].rps / c['sync-open-c64'].rps)}`,
    })),
    goal(`sync-signed-c1 p50 <= sync-open-c1 p50 + ${GOALS.protectionC1P50MaxMs} ms`, [c['sync-signed-c1'], c['sync-open-c1']], () => ({
      met: c['sync-signed-c1'].latencyMs.p50 <= c['sync-open-c1'].latencyMs.p50 + GOALS.protectionC1P50MaxMs,
      detail: `${fixed(c['sync-signed-c1'].latencyMs.p50, 2)} ms vs ${fixed(c['sync-open-c1'].latencyMs.p50, 2)} ms (+${fixed(c['sync-signed-c1'].latencyMs.p50 - c['sync-open-c1'].latencyMs.p50, 2)})`,
    })),
    goal(`ingress RSS <= ${GOALS.ingressRssMaxMb} MB under sync-noop-c64`, [s64], () => ({
      met: s64.processes.ingress.peakRssMb <= GOALS.ingressRssMaxMb,
      detail: `peak ${fixed(s64.processes.ingress.peakRssMb)} MB`,
    })),
    goal(`worker RSS <= ${GOALS.workerRssMaxMb} MB under sync-noop-c64`, [s64], () => ({
      met: s64.processes.worker.peakRssMb <= GOALS.workerRssMaxMb,
      detail: `peak ${fixed(s64.processes.worker.peakRssMb)} MB`,
    })),
  ];
}

/**
 * The goals across stores: for each log level and sandbox run on both SQLite and MongoDB in this run,
 * MongoDB's sync-noop-c64 rps against SQLite's.
 */
function storeGoalsOf(runs) {
  const goals = [];
  for (const mongo of runs.filter((run) => run.store === 'mongodb')) {
    const sqlite = runs.find((run) => run.store === 'sqlite' && run.logLevel === mongo.logLevel && run.sandbox === mongo.sandbox);
    if (!sqlite) continue;
    const [m, q] = [mongo.cases['sync-noop-c64'], sqlite.cases['sync-noop-c64']];
    goals.push(
      goal(`sync-noop-c64 on MongoDB >= ${GOALS.mongoShareOfSqlite * 100} % of SQLite's (LOG_LEVEL=${mongo.logLevel}${mongo.sandbox === 'process' ? '' : ', sandbox in worker threads'})`, [m, q], () => ({
        met: m.rps >= GOALS.mongoShareOfSqlite * q.rps,
        detail: `${fixed(m.rps, 0)} / ${fixed(q.rps, 0)} = ${pct(m.rps / q.rps)}`,
      })),
    );
  }
  return goals;
}

function row(cells, widths) {
  return cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
}

function cpu(x) {
  return x && x.cpuPercent !== null ? fixed(x.cpuPercent, 0) : '-';
}

/** The results table: one row per case, baseline first, then each stack run. */
function table(results) {
  const head = ['case', 'log', 'rps', 'p50 ms', 'p90 ms', 'p99 ms', 'err', 'tmo', 'non2xx', 'ingRSS', 'wrkRSS', 'CPU% ing/wrk/redis/load', 'other'];
  const widths = [22, 5, 8, 7, 7, 7, 4, 4, 6, 7, 7, 24, 5];
  const lines = [row(head, widths), widths.map((w) => '-'.repeat(w)).join('  ')];
  const add = (c, level) => {
    const p = c.processes;
    const cpus = level === '-' ? `${cpu(p.baseline)} (baseline)/-/${cpu(p.driver)}` : `${cpu(p.ingress)}/${cpu(p.worker)}/${cpu(p.redis)}/${cpu(p.driver)}`;
    lines.push(
      row(
        [
          c.name,
          level,
          fixed(c.rps, 0),
          fixed(c.latencyMs.p50, 2),
          fixed(c.latencyMs.p90, 2),
          fixed(c.latencyMs.p99, 2),
          c.errors,
          c.timeouts,
          c.non2xx,
          p.ingress ? fixed(p.ingress.peakRssMb) : p.baseline ? fixed(p.baseline.peakRssMb) : '-',
          p.worker ? fixed(p.worker.peakRssMb) : '-',
          cpus,
          p.machine ? fixed(p.machine.otherCpuPercent, 0) : '-',
        ],
        widths,
      ),
    );
    if (c.drain) {
      const d = c.drain;
      lines.push(
        `${' '.repeat(24)}drain: ${d.accepted} accepted, backlog ${d.backlogAtLoadEnd} at load end, all final ${fixed(d.drainAfterLoadS, 2)} s later -> ${fixed(d.processesPerS, 0)} processes/s end to end` +
          (d.backlogPerS ? `, ${fixed(d.backlogPerS, 0)}/s on the backlog alone (worker CPU ${cpu(d.processes.worker)} %)` : ''),
      );
    }
  };
  for (const c of Object.values(results.baseline)) add(c, '-');
  for (const run of results.runs) for (const c of Object.values(run.cases)) add(c, run.label ?? run.logLevel);
  return lines.join('\n');
}

/** The three Redis commands with the most calls per process, e.g. `evalsha 4.00, publish 1.00, …`. */
function topCommands(commands) {
  return Object.entries(commands)
    .slice(0, 3)
    .map(([command, calls]) => `${command} ${fixed(calls, 2)}`)
    .join(', ');
}

const readsWrites = (store) => (store ? `${fixed(store.reads, 2)} / ${fixed(store.writes, 2)}` : '-');

/** One row of the cost table for a `costPerProcess` answer (`null`: no process in that window). */
function costRow(label, cost, widths) {
  if (!cost) return row([label, 0, ...widths.slice(2).map(() => '-')], widths);
  const us = cost.cpuUs;
  return row(
    [
      label,
      cost.processes,
      fixed(us.ingress, 0),
      fixed(us.worker, 0),
      fixed(us.sandbox, 0),
      fixed(us.redis, 0),
      fixed(cost.redisCalls.total, 2),
      fixed(cost.redisCalls.scripts, 2),
      topCommands(cost.redisCalls.commands),
      readsWrites(cost.store.ingress),
      readsWrites(cost.store.worker),
    ],
    widths,
  );
}

/** The cost model of a stack run: per case, what one process cost (CPU µs, Redis calls, store calls). */
function costTable(run) {
  const head = ['case', 'processes', 'ing µs', 'wrk µs', 'sbx µs', 'redis µs', 'redis cmds', 'scripts', 'top Redis commands', 'store ing r/w', 'store wrk r/w'];
  const widths = [20, 9, 6, 6, 6, 8, 10, 7, 34, 13, 13];
  const lines = [row(head, widths), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const c of Object.values(run.cases)) {
    if (!c.breakdown) continue;
    lines.push(costRow(c.name, c.breakdown, widths));
    if (c.breakdown.drain !== undefined) lines.push(costRow('  drain (÷ backlog)', c.breakdown.drain, widths));
    if (c.breakdown.endToEnd !== undefined) lines.push(costRow('  load + drain', c.breakdown.endToEnd, widths));
  }
  return lines;
}

function ratioLines(run) {
  const r = run.ratios;
  return [
    `  sync-noop-c64 / baseline-c64 rps:          ${pct(r.syncNoopC64VsBaselineC64)}`,
    `  async-c64 / baseline-c64 rps:              ${pct(r.asyncC64VsBaselineC64)}`,
    `  sync-json-10k-c64 / baseline-json-10k rps: ${pct(r.syncJson10kC64VsBaselineJson10kC64)}`,
    `  sync-noop-c1 / baseline-c1 rps:            ${pct(r.syncNoopC1VsBaselineC1)}`,
    `  sync-noop-c1 p50 - baseline-c1 p50:        ${fixed(r.syncNoopC1P50MinusBaselineMs, 2)} ms`,
    `  sync-noop-c1 p99 - baseline-c1 p99:        ${fixed(r.syncNoopC1P99MinusBaselineMs, 2)} ms`,
    `  sync-signed-c64 / sync-open-c64 rps:       ${pct(r.syncSignedC64VsOpenC64)}`,
    `  sync-signed-c1 p50 - sync-open-c1 p50:     ${fixed(r.syncSignedC1P50MinusOpenMs, 2)} ms`,
  ];
}

function goalLines(run) {
  return run.goals.map((g) => `  [${g.met === null ? 'n/a    ' : g.met ? 'met    ' : 'NOT MET'}] ${g.name}: ${g.detail}`);
}

/** Cases during which other processes on the machine used more than `limit` % CPU (one core = 100). */
function noisyCases(results, limit = 25) {
  const all = [...Object.values(results.baseline), ...results.runs.flatMap((run) => Object.values(run.cases).map((c) => ({ ...c, name: `${c.name}@${run.label ?? run.logLevel}` })))];
  return all.filter((c) => c.processes.machine && c.processes.machine.otherCpuPercent > limit);
}

/** Everything printed at the end of a run. */
function render(results) {
  const out = [table(results), ''];
  out.push("'other' = CPU % used meanwhile by processes outside the bench (other work on this machine).");
  const noisy = noisyCases(results);
  if (noisy.length > 0) {
    out.push(
      `WARNING: the machine was not idle: other processes used ${noisy.map((c) => `${fixed(c.processes.machine.otherCpuPercent, 0)} % in ${c.name}`).join(', ')}` +
        ` (of ${noisy[0].processes.machine.cores * 100} %). Those numbers are low and noisy; rerun on an idle machine.`,
    );
  }
  out.push('');
  for (const run of results.runs) {
    out.push(`Ratios to the baseline, stack at LOG_LEVEL=${run.label ?? run.logLevel}:`, ...ratioLines(run), '');
    out.push(`Goals, stack at LOG_LEVEL=${run.label ?? run.logLevel}:`, ...goalLines(run), '');
    out.push(`Cost per process, stack at LOG_LEVEL=${run.label ?? run.logLevel} (per case window ÷ its processes; see bench/README.md):`, ...costTable(run), '');
  }
  if (results.storeGoals?.length) out.push('Goals across stores:', ...goalLines({ goals: results.storeGoals }), '');
  return out.join('\n');
}

module.exports = { GOALS, ratiosOf, goalsOf, render, noisyCases, storeGoalsOf };
