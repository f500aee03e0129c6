import { execFile } from 'node:child_process';
import { serviceMain } from '../src/child-service';

/** How a service run to its end went. */
export interface ServiceRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a service's `main.js` with exactly `env` until it exits (for starts that must fail), at most
 * `timeoutMs`; answers its exit code and output.
 */
export function runServiceToExit(service: 'ingress' | 'worker', env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<ServiceRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [serviceMain(`@webrequests/${service}`)], { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

/** The lines of `text` that are not blank. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
