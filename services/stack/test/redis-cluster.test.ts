import { Cluster } from 'ioredis';
import { startTestStack, type TestStack } from '../test-support/harness';
import { clusterToolsMissing, startRedisCluster, type TestRedisCluster } from '../test-support/redis-cluster';

const missing = clusterToolsMissing();

if (missing) {
  describe('the stack on a Redis Cluster', () => {
    it.skip(`is SKIPPED: no Redis Cluster can be started here (${missing})`, () => undefined);
  });
} else {
  describe('the stack on a Redis Cluster', () => {
    let cluster: TestRedisCluster;
    let stack: TestStack;
    let client: Cluster;

    beforeAll(async () => {
      cluster = await startRedisCluster(3);
      // Two seeds of three: the services discover the third from the cluster itself.
      stack = await startTestStack({
        ingresses: 2,
        workers: 2,
        env: { REDIS_URL: cluster.urls.slice(0, 2).join(','), REDIS_CLUSTER: 'true' },
      });
      client = new Cluster([{ host: '127.0.0.1', port: cluster.ports[2]! }]);
    }, 60_000);
    afterAll(async () => {
      await client?.quit().catch(() => client.disconnect());
      await stack?.stop();
      await cluster?.stop();
    });

    it('spreads the slots over three masters, and the services report Redis ready', async () => {
      const masters = String(await client.cluster('NODES')).split('\n').filter((line: string) => line.includes('master'));
      expect(masters).toHaveLength(3);
      for (const base of stack.ingresses) {
        const response = await fetch(`${base}/readyz`);
        expect(await response.json()).toEqual({ redis: 'ok', store: 'ok' });
      }
    });

    it('answers sync webrequests through either ingress, each answer reaching its own caller over cluster pub/sub', async () => {
      const endpoint = await stack.endpoint('cluster/echo', "await sleep(20); return { $status: 202, n: body.n, via: headers['x-via'] };");
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, n) => {
          const base = stack.ingresses[n % 2];
          const response = await fetch(`${base}/api/webrequest/cluster/echo`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-via': String(n % 2) },
            body: JSON.stringify({ n }),
          });
          return { status: response.status, body: await response.json() };
        }),
      );
      answers.forEach((answer, n) => expect(answer).toEqual({ status: 202, body: { n, via: String(n % 2) } }));
      const { items } = await stack.admin<{ items: { status: string }[] }>('GET', `/processes?webrequestId=${endpoint.id}&limit=100`);
      expect(items).toHaveLength(20);
      expect(items.every((item) => item.status === 'completed')).toBe(true);
    });

    it('runs an async webrequest to a completed record, its job kept on the cluster under the hash-tagged prefix', async () => {
      const endpoint = await stack.endpoint('cluster-async', "await sleep(300); return { hello: query.who };");
      const response = await fetch(`${stack.ingresses[1]}/api/webrequest/cluster-async?async=true&who=cluster`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
      const processId = response.headers.get('x-process-id')!;
      const record = await stack.waitForProcess(processId);
      expect(record).toMatchObject({ id: processId, webrequestId: endpoint.id, status: 'completed', async: true, output: { hello: 'cluster' } });

      const prefix = stack.env.QUEUE_PREFIX!;
      expect(prefix).toMatch(/^\{.+\}$/);
      expect(await client.zscore(`${prefix}:webrequests:completed`, processId)).not.toBeNull();
      expect(await client.hget(`${prefix}:webrequests:${processId}`, 'finishedOn')).toMatch(/^\d+$/);
      // Every key of the queue is in the slot of the hash tag, which is what lets BullMQ's scripts run.
      const slot = await client.cluster('KEYSLOT', prefix);
      expect(await client.cluster('KEYSLOT', `${prefix}:webrequests:wait`)).toBe(slot);
      // COUNTKEYSINSLOT answers for the node asked only: ask every master, and exactly one holds them.
      const counts = await Promise.all(client.nodes('master').map((node) => node.cluster('COUNTKEYSINSLOT', Number(slot)) as Promise<number>));
      expect(counts.filter((count) => count > 0)).toEqual([expect.any(Number)]);
      expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(2);
    });
  });
}
