'use strict';

const { fork } = require('node:child_process');
const { once } = require('node:events');
const { join } = require('node:path');

const DRIVER = join(__dirname, 'load-driver.js');

/**
 * Starts the load-driver process and answers a handle: `run(options)` drives one autocannon run there
 * and resolves with its summary; `close()` ends the process. Rejects a run if the driver dies.
 */
async function startLoadDriver() {
  const child = fork(DRIVER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const pending = new Map();
  let nextId = 0;
  child.on('message', (message) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.kind === 'result') waiter.resolve(message.result);
    else waiter.reject(new Error(`load driver: ${message.message}`));
  });
  child.on('exit', (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`load driver exited (${signal ?? code})`));
    pending.clear();
  });
  const [first] = await once(child, 'message');
  if (first.kind !== 'ready') throw new Error('load driver did not start');
  return {
    pid: child.pid,
    run(options) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ kind: 'run', id, options });
      });
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ kind: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

module.exports = { startLoadDriver };
