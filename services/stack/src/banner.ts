import type { ApplyReportLine } from '@webrequests/catalog';

/** What `npm start` prints once everything runs: where things are and what to try. */
export function banner(options: { baseUrl: string; metricsUrl: string; token: string; generated: boolean; keyGenerated: boolean; logDir: string; redis: string; store: string; applied: ApplyReportLine[]; catalog: string }): string {
  const { baseUrl, token } = options;
  const endpoints = options.applied.filter((line) => line.kind === 'webrequest').map((line) => `    ${baseUrl}/api/webrequest/${line.key}`);
  return [
    '',
    'webrequests is running.',
    `  ingress:   ${baseUrl}`,
    `  redis:     ${options.redis}`,
    `  store:     ${options.store}`,
    `  logs:      ${options.logDir}/{ingress,worker}.log`,
    `  admin token${options.generated ? ' (generated, saved in ./data/admin-token)' : ''}: ${token}`,
    `  dashboard: ${baseUrl}/admin/queues   (any user name, the admin token as password)`,
    `  admin API: ${baseUrl}/api/admin   (OpenAPI: ${baseUrl}/api/admin/openapi.json)`,
    `  metrics:   ${options.metricsUrl}   (METRICS_PORT, off the public port)`,
    ...(options.keyGenerated ? ['  secrets key: generated, saved in ./data/secrets-key (keep it: secrets cannot be read without it)'] : []),
    '',
    `Endpoints loaded from ${options.catalog}/:`,
    ...endpoints,
    '',
    'Try:',
    // Each example's line only when the catalog has that endpoint (CATALOG_DIR may name another folder).
    ...[
      ['echo', `  curl -s -X POST '${baseUrl}/api/webrequest/echo?x=1' -H 'Content-Type: application/json' -d '{"hello":"world"}'`],
      ['forms/contact', `  curl -s -X POST '${baseUrl}/api/webrequest/forms/contact' -d 'email=ann@example.com&message=hi'`],
      ['reports/slow', `  curl -si '${baseUrl}/api/webrequest/reports/slow?async=true&seconds=2'`],
    ]
      .filter(([urlId]) => options.applied.some((line) => line.kind === 'webrequest' && line.key === urlId))
      .map(([, line]) => line!),
    `  curl -s -H 'Authorization: Bearer ${token}' '${baseUrl}/api/admin/processes?limit=5'`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}
