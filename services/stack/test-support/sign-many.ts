import { spawn } from 'node:child_process';
import { WEBHOOK_SENDERS_SCRIPT, type Delivery, type WebhookProvider } from '../../../libs/protection/test-support/senders';

/**
 * The headers `provider` sends with each of `deliveries`, signed by its own library as `signWith`
 * does, but by up to `parallel` child processes at once: a corpus of a hundred deliveries signed one
 * blocking call after another would take most of a test file's time budget.
 */
export async function signManyWith(provider: WebhookProvider, deliveries: readonly Delivery[], parallel = 4): Promise<Array<Record<string, string>>> {
  const signed: Array<Record<string, string>> = new Array(deliveries.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < deliveries.length) {
      const index = next++;
      signed[index] = JSON.parse(await runSenders(JSON.stringify({ ...deliveries[index], provider, also: [] }))) as Record<string, string>;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, deliveries.length) }, lane));
  return signed;
}

function runSenders(input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WEBHOOK_SENDERS_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`webhook-senders exited with ${code}: ${stderr}`))));
    child.stdin.end(input);
  });
}
