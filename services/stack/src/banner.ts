import type { ApplyReportLine } from '@webrequests/catalog';

/** What `npm start` prints once everything runs: where things are and what to try. */
export function banner(options: { baseUrl: string; metricsUrl: string; token: string; generated: boolean; keyGenerated: boolean; logDir: string; redis: string; store: string; applied: ApplyReportLine[] }): string {
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
    'Endpoints loaded from examples/:',
    ...endpoints,
    '',
    'Try:',
    `  curl -s -X POST '${baseUrl}/api/webrequest/echo?x=1' -H 'Content-Type: application/json' -d '{"hello":"world"}'`,
    `  curl -s -X POST '${baseUrl}/api/webrequest/forms/contact' -d 'email=ann@example.com&message=hi'`,
    `  curl -si '${baseUrl}/api/webrequest/reports/slow?async=true&seconds=2'`,
    `  curl -s -H 'Authorization: Bearer ${token}' '${baseUrl}/api/admin/processes?limit=5'`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}
