'use strict';

const { fork } = require('node:child_process');
const { once } = require('node:events');
const { closeSync, openSync, readFileSync } = require('node:fs');

/** The last `lines` lines of a log file, for a crash report. */
function tailOf(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Children the bench depends on. `crashed` rejects when one of them exits while it was not being
 * stopped, with the tail of its log; the bench races every case against it, so a crash fails the run.
 */
class ChildSet {
  constructor() {
    this.children = [];
    this.crashed = new Promise((_resolve, reject) => (this.reportCrash = reject));
    this.crashed.catch(() => undefined);
  }

  /**
   * Forks `main` with `env`, its stdout and stderr appended to `logFile` (as an operator's would be,
   * and without this process pumping the bytes). Resolves with the child's first IPC message.
   */
  async start(name, main, { env, logFile, execArgv = [] }) {
    const fd = openSync(logFile, 'a');
    const child = fork(main, [], { env, execArgv, stdio: ['ignore', fd, fd, 'ipc'] });
    closeSync(fd);
    const entry = { name, child, logFile, stopping: false };
    this.children.push(entry);
    child.once('exit', (code, signal) => {
      if (entry.stopping) return;
      this.reportCrash(new Error(`${name} (pid ${child.pid}) exited unexpectedly (${signal ?? `code ${code}`}); last lines of ${logFile}:\n${tailOf(logFile)}`));
    });
    const [message] = await Promise.race([once(child, 'message'), this.crashed]);
    return { child, message };
  }

  /** Stops one child: SIGTERM (a graceful shutdown), SIGKILL after `graceMs`. */
  async stop(child, graceMs = 40_000) {
    const entry = this.children.find((e) => e.child === child);
    if (!entry) return;
    entry.stopping = true;
    this.children = this.children.filter((e) => e !== entry);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Stops every child still running, in parallel. */
  async stopAll() {
    await Promise.allSettled(this.children.map((e) => this.stop(e.child)));
  }

  /** Resolves with `promise`, or rejects as soon as a child crashes. */
  guard(promise) {
    return Promise.race([promise, this.crashed]);
  }
}

module.exports = { ChildSet, tailOf };
