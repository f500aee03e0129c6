'use strict';

const STORE_OPERATIONS = /^webrequests_store_operations_total\{operation="([^"]+)"\} (\S+)$/gm;

/**
 * Store calls so far per Store method (`{ createProcess: 120, … }`), from the counter
 * `webrequests_store_operations_total{operation}` of a service's Prometheus text at `metricsUrl`.
 */
async function storeOperations(metricsUrl) {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`${metricsUrl} answered ${response.status}`);
  const operations = {};
  for (const match of (await response.text()).matchAll(STORE_OPERATIONS)) operations[match[1]] = Number(match[2]);
  return operations;
}

/** Whether a Store method only reads (get…, list…, processState, ping); every other one writes. */
function isRead(operation) {
  return /^(get|list)/.test(operation) || operation === 'processState' || operation === 'ping';
}

module.exports = { storeOperations, isRead };
