import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadServiceConfig } from '@webrequests/config';
import type { JobPayload } from '@webrequests/contracts';
import { WebrequestQueue, createRedisConnection } from '@webrequests/queue';
import { parseAllDocuments } from 'yaml';


const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..', '..');
const K8S = join(ROOT, 'deploy', 'k8s');
/** Where .ci/install-validators.sh puts kubeconform, the Kubernetes schemas and docker compose. */
const CACHE = process.env.WEBREQUESTS_CACHE ?? join(homedir(), '.cache', 'webrequests');
const SCHEMAS = join(CACHE, 'k8s-schemas-v1.33.0');

// Loose shapes of what the manifests hold: the assertions are the checks.
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function documents(file: string): Doc[] {
  const parsed = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true });
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  for (const doc of docs) if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
  return docs.map((doc) => doc.toJS() as unknown).filter((doc): doc is Doc => doc !== null && typeof doc === 'object');
}

const manifestFiles = readdirSync(K8S).filter((name) => name.endsWith('.yaml')).sort();
const resources = manifestFiles.filter((name) => name !== 'kustomization.yaml').flatMap((name) => documents(join(K8S, name)));
const one = (kind: string, name: string): Doc => {
  const found = resources.find((doc) => doc.kind === kind && doc.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/k8s`);
  return found;
};

function onPath(tool: string): string | null {
  const dir = (process.env.PATH ?? '').split(delimiter).find((d) => existsSync(join(d, tool)));
  return dir ? join(dir, tool) : null;
}

type Tool = { argv: string[] } | { missing: string };

/** How to run docker compose here (its `config` is client-side: no engine needed), or why it cannot be. */
function composeTool(): Tool {
  const docker = onPath('docker');
  if (docker) {
    try {
      execFileSync(docker, ['compose', 'version'], { stdio: 'ignore' });
      return { argv: [docker, 'compose'] };
    } catch {
      // The docker CLI without its compose plugin: try the one .ci/install-validators.sh builds.
    }
  }
  const built = join(CACHE, 'docker-compose-v2.40.3');
  if (existsSync(built)) return { argv: [built] };
  return { missing: 'neither `docker compose` nor the docker-compose that .ci/install-validators.sh builds is here' };
}

function kubeconformTool(): Tool {
  const binary = [join(CACHE, 'kubeconform-v0.8.0'), onPath('kubeconform')].find((b): b is string => !!b && existsSync(b));
  if (!binary) return { missing: 'kubeconform is not installed (.ci/install-validators.sh installs it)' };
  if (!existsSync(join(SCHEMAS, '_definitions.json'))) return { missing: `no Kubernetes schemas at ${SCHEMAS} (.ci/install-validators.sh fetches them)` };
  return { argv: [binary] };
}

/** `it` when the tool is here; otherwise a skipped test whose title, and a warning, say why. */
function itWith(tool: Tool, title: string, test: (argv: string[]) => Promise<void>): void {
  if ('missing' in tool) {
    console.warn(`deploy-files: SKIPPED "${title}": ${tool.missing}`);
    it.skip(`${title} — SKIPPED: ${tool.missing}`, () => undefined);
  } else {
    it(title, () => test(tool.argv));
  }
}

describe('docker-compose.yml', () => {
  const [compose] = documents(join(ROOT, 'docker-compose.yml'));

  it('runs Redis with AOF and noeviction on a volume, and MongoDB 7 on a volume', () => {
    const redis = compose!.services.redis;
    const flags = (redis.command as string[]).join(' ');
    expect(flags).toMatch(/--appendonly yes/);
    expect(flags).toMatch(/--maxmemory-policy noeviction/);
    expect(flags).toMatch(/--maxmemory \S+/);
    expect(redis.volumes).toEqual(['redis-data:/data']);
    expect(compose!.services.mongo.image).toMatch(/^mongo:7/);
    expect(compose!.services.mongo.volumes).toEqual(['mongo-data:/data/db']);
    expect(Object.keys(compose!.volumes)).toEqual(expect.arrayContaining(['redis-data', 'mongo-data']));
  });

  it('publishes only the ingress, health-checked on /readyz, and leaves the worker free to --scale', () => {
    const { ingress, worker, redis, mongo } = compose!.services;
    expect(ingress.ports).toEqual(['${PORT:-8080}:8080']);
    expect(ingress.healthcheck.test.join(' ')).toContain('/readyz');
    for (const service of [worker, redis, mongo]) expect(service.ports).toBeUndefined();
    expect(worker.container_name).toBeUndefined();
    expect(worker.build.target).toBe('worker');
    expect(ingress.build.target).toBe('ingress');
    for (const service of [ingress, worker]) {
      expect(service.environment.STORE_URL).toMatch(/^mongodb:\/\/mongo:27017\//);
      expect(service.environment.REDIS_URL).toBe('redis://redis:6379');
    }
  });

  itWith(composeTool(), 'is accepted by docker compose, and every service setting it yields passes the config validation', async (argv) => {
    const [bin, ...pre] = argv;
    const args = [...pre, '-f', join(ROOT, 'docker-compose.yml'), 'config', '--format', 'json'];
    const env = { PATH: process.env.PATH, HOME: homedir() };
    await expect(run(bin!, args, { env })).rejects.toThrow(/ADMIN_TOKEN/);
    const { stdout } = await run(bin!, args, { env: { ...env, ADMIN_TOKEN: 'a-token-of-enough-length' } });
    const services = JSON.parse(stdout).services as Record<string, { environment: Record<string, string> }>;
    for (const name of ['ingress', 'worker']) {
      const config = loadServiceConfig(services[name]!.environment);
      expect(config.redis).toMatchObject({ url: 'redis://redis:6379', prefix: '{wr}', cluster: false });
      expect(config.store.url).toBe('mongodb://mongo:27017/webrequests');
    }
    expect(loadServiceConfig(services.worker!.environment).worker.httpPort).toBe(9090);
  });
});

describe('deploy/k8s', () => {
  const deployments = ['webrequests-ingress', 'webrequests-worker'].map((name) => one('Deployment', name));

  it('parses into named resources, each listed in the kustomization', () => {
    expect(resources.length).toBeGreaterThanOrEqual(10);
    for (const doc of resources) {
      expect(doc.apiVersion).toEqual(expect.any(String));
      expect(doc.metadata.name).toMatch(/^[a-z0-9-]+$/);
    }
    const [kustomization] = documents(join(K8S, 'kustomization.yaml'));
    expect([...kustomization!.resources].sort()).toEqual(manifestFiles.filter((name) => name !== 'kustomization.yaml'));
  });

  it('gives both services settings, from the ConfigMap, the Secret and the pod env, that pass the config validation', () => {
    const shared = { ...one('ConfigMap', 'webrequests-config').data, ...one('Secret', 'webrequests-secrets').stringData };
    for (const deployment of deployments) {
      const container = deployment.spec.template.spec.containers[0];
      expect(container.envFrom).toEqual([{ configMapRef: { name: 'webrequests-config' } }, { secretRef: { name: 'webrequests-secrets' } }]);
      const own = Object.fromEntries((container.env as Doc[]).filter((e) => 'value' in e).map((e) => [e.name, e.value]));
      const config = loadServiceConfig({ ...shared, ...own, INSTANCE_ID: 'pod-name' });
      expect(config.redis.prefix).toBe('{wr}');
      expect(config.store.url).toMatch(/^mongodb:\/\//);
    }
  });

  it('probes the ingress on /readyz and /healthz and the worker on its health port, non-root, with requests and limits', () => {
    const [ingress, worker] = deployments.map((d) => d.spec.template.spec.containers[0]);
    expect(ingress.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(ingress.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(ingress.ports).toEqual([{ name: 'http', containerPort: 8080 }]);
    const healthPort = Number(worker.env.find((e: Doc) => e.name === 'WORKER_HTTP_PORT').value);
    expect(worker.ports).toEqual([{ name: 'health', containerPort: healthPort }]);
    expect(worker.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
    expect(worker.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
    for (const deployment of deployments) {
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(pod.containers[0].resources).toMatchObject({
        requests: { cpu: expect.anything(), memory: expect.any(String) },
        limits: { cpu: expect.anything(), memory: expect.any(String) },
      });
      // Past SHUTDOWN_TIMEOUT_MS, or the kubelet kills a pod that is still draining.
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(one('ConfigMap', 'webrequests-config').data.SHUTDOWN_TIMEOUT_MS));
    }
  });

  it('selects the Deployments’ pods in the Service and in a PodDisruptionBudget each', () => {
    const labelsOf = (name: string) => one('Deployment', name).spec.template.metadata.labels;
    expect(labelsOf('webrequests-ingress')).toMatchObject(one('Service', 'webrequests-ingress').spec.selector);
    for (const deployment of deployments) {
      const { name } = deployment.metadata;
      expect(labelsOf(name)).toMatchObject(deployment.spec.selector.matchLabels);
      expect(labelsOf(name)).toMatchObject(one('PodDisruptionBudget', name).spec.selector.matchLabels);
    }
    expect(one('HorizontalPodAutoscaler', 'webrequests-ingress').spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'webrequests-ingress' });
  });

  it('scales the workers on the Redis list where BullMQ keeps the waiting jobs', async () => {
    const scaled = one('ScaledObject', 'webrequests-worker');
    expect(scaled.spec.scaleTargetRef).toMatchObject({ name: 'webrequests-worker' });
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('redis');
    const auth = one('TriggerAuthentication', trigger.authenticationRef.name);
    for (const ref of auth.spec.secretTargetRef) expect(one('Secret', ref.name).stringData[ref.key]).toEqual(expect.any(String));

    // The list the trigger counts is the one the running code fills: enqueue with the ConfigMap's prefix.
    const prefix = one('ConfigMap', 'webrequests-config').data.QUEUE_PREFIX;
    expect(trigger.metadata.listName).toBe(`${prefix}:webrequests:wait`);
    // A database of its own on the test Redis: the production prefix is shared by no other test there.
    const connection = createRedisConnection(`${process.env.TEST_REDIS_URL}/11`, 'worker');
    const queue = new WebrequestQueue(connection, prefix);
    try {
      await queue.queue.obliterate({ force: true });
      for (const processId of ['keda-1', 'keda-2', 'keda-3']) await queue.enqueue({ processId } as JobPayload);
      expect(await connection.type(trigger.metadata.listName)).toBe('list');
      expect(await connection.llen(trigger.metadata.listName)).toBe(3);
    } finally {
      await queue.queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await connection.quit();
    }
  });

  itWith(kubeconformTool(), 'passes kubeconform, strict, against the Kubernetes 1.33 schemas, which do catch a wrong field', async ([binary]) => {
    const files = manifestFiles.filter((name) => name !== 'kustomization.yaml').map((name) => join(K8S, name));
    // KEDA's kinds are custom resources: no schema of theirs can be had offline (checked above instead).
    const args = ['-strict', '-summary', '-output', 'json', '-skip', 'ScaledObject,TriggerAuthentication', '-schema-location', join(SCHEMAS, '{{ .ResourceKind }}{{ .KindSuffix }}.json')];
    const { stdout } = await run(binary!, [...args, ...files]);
    expect(JSON.parse(stdout).summary).toMatchObject({ valid: resources.length - 2, invalid: 0, errors: 0, skipped: 2 });

    const dir = mkdtempSync(join(tmpdir(), 'wr-kubeconform-'));
    try {
      const broken = join(dir, 'broken.yaml');
      writeFileSync(broken, readFileSync(join(K8S, 'ingress-deployment.yaml'), 'utf8').replace('terminationGracePeriodSeconds:', 'terminationGracePeriodSecond:'));
      const failed = await run(binary!, [...args, broken]).then(() => null, (error: { stdout: string }) => JSON.parse(error.stdout));
      expect(failed?.summary).toMatchObject({ invalid: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
