import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, loadServiceConfig } from '@webrequests/config';
import type { JobPayload } from '@webrequests/contracts';
import { WebrequestQueue, createRedisConnection } from '@webrequests/queue';
import { parseAllDocuments } from 'yaml';


const run = promisify(execFile);
/** The checkout whose code runs (its built dist/ and node_modules). */
const ROOT = resolve(__dirname, '..', '..', '..');
/**
 * The deployment files checked: this checkout's, or DEPLOY_FILES_ROOT's (a folder holding another
 * revision's deploy/, docker-compose.yml and .nvmrc, e.g. from `git archive`: to see a check fail on them).
 */
const FILES = process.env.DEPLOY_FILES_ROOT ? resolve(process.env.DEPLOY_FILES_ROOT) : ROOT;
const K8S = join(FILES, 'deploy', 'k8s');
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

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name: string | undefined;
  body: Instruction[];
}

/** deploy/Dockerfile as its stages: continuation lines joined, comments and the syntax directive dropped. */
function dockerfileStages(file: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const [, op, args] = /^(\S+)\s*([\s\S]*)$/.exec(pending + line)!;
    instructions.push({ op: op!.toUpperCase(), args: args!.trim() });
    pending = '';
  }
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.op === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args)!;
      stages.push({ from: from!, name, body: [] });
    } else {
      stages.at(-1)!.body.push(instruction);
    }
  }
  return stages;
}

/**
 * A stand-in for the image's build stage after `npm run build`: the workspaces' package.json, sources and
 * dist (what `npm run build` left here), node_modules as links to the real ones.
 */
function buildContext(dir: string): void {
  const linkModules = (real: string, fake: string) => {
    mkdirSync(fake, { recursive: true });
    for (const entry of readdirSync(real, { withFileTypes: true })) {
      const [from, to] = [join(real, entry.name), join(fake, entry.name)];
      if (entry.isSymbolicLink()) symlinkSync(readlinkSync(from), to); // the workspace links, relative
      else if (entry.isDirectory() && entry.name.startsWith('@')) linkModules(from, to);
      else symlinkSync(from, to);
    }
  };
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  linkModules(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  for (const group of ['libs', 'services']) {
    for (const name of readdirSync(join(ROOT, group))) {
      const [from, to] = [join(ROOT, group, name), join(dir, group, name)];
      if (!existsSync(join(from, 'package.json'))) continue;
      mkdirSync(to, { recursive: true });
      for (const part of ['package.json', 'tsconfig.json', 'src', 'dist']) if (existsSync(join(from, part))) cpSync(join(from, part), join(to, part), { recursive: true });
      if (existsSync(join(from, 'node_modules'))) linkModules(join(from, 'node_modules'), join(to, 'node_modules'));
    }
  }
}

describe('deploy/Dockerfile and .nvmrc', () => {
  const stages = dockerfileStages(join(FILES, 'deploy', 'Dockerfile'));
  const stage = (name: string): Stage => {
    const found = stages.find((s) => s.name === name);
    if (!found) throw new Error(`no stage ${name} in deploy/Dockerfile`);
    return found;
  };
  /** The image a stage starts from, through the stages it is built on. */
  const baseImage = (s: Stage): string => (stages.some((other) => other.name === s.from) ? baseImage(stage(s.from)) : s.from);
  const build = stages.find((s) => s.body.some((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args)));

  it('builds and runs on Node 26, the Active LTS line, on Debian bookworm-slim, the same one .nvmrc names', () => {
    const external = stages.filter((s) => !stages.some((other) => other.name === s.from)).map((s) => s.from);
    expect(external.length).toBeGreaterThanOrEqual(2); // the build stage and the runtime stage, each
    for (const image of external) expect(image).toBe('node:26-bookworm-slim');
    // better-sqlite3 is compiled in the build stage: the images must run the Node (ABI) it was built for.
    expect(build).toBeDefined();
    for (const target of ['ingress', 'worker']) expect(baseImage(stage(target))).toBe(baseImage(build!));
    expect(readFileSync(join(FILES, '.nvmrc'), 'utf8').trim()).toBe(/^node:(\d+)-/.exec(baseImage(build!))![1]);
  });

  it('has the native-addon toolchain in the build stage and ships only the production dependencies', () => {
    const runs = build!.body.filter((i) => i.op === 'RUN').map((i) => i.args);
    const apt = runs.find((r) => /apt-get install/.test(r));
    for (const tool of ['python3', 'make', 'g++']) expect(apt?.split(/\s+/)).toContain(tool);
    const ci = runs.findIndex((r) => /\bnpm ci\b/.test(r));
    const prune = runs.findIndex((r) => /\bnpm prune --omit=dev\b/.test(r));
    expect(prune).toBeGreaterThanOrEqual(ci);
    // The runtime takes nothing from the build stage but what it gathered after the prune.
    const runtime = stage(stage('ingress').from);
    const copies = runtime.body.filter((i) => i.op === 'COPY');
    expect(copies).toHaveLength(1);
    expect(copies[0]!.args).toMatch(new RegExp(`^--from=${build!.name} (--chown=\\S+ )?/out \\./$`));
    expect(runs.slice(prune).some((r) => r.includes('/out'))).toBe(true);
  });

  it('gathers a tree, without sources, in which the ingress, the worker and compose’s catalog command run', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'wr-image-'));
    try {
      const [context, out] = [join(tmp, 'context'), join(tmp, 'out')];
      buildContext(context);
      // The build stage's steps after `npm prune` that fill /out, run as `RUN` runs them, into a folder here.
      const runs = build!.body.filter((i) => i.op === 'RUN').map((i) => i.args);
      const gather = runs.slice(runs.findIndex((r) => /\bnpm prune\b/.test(r))).filter((r) => r.includes('/out'));
      for (const command of gather) {
        const steps = command.replace(/\bnpm ci && npm run build && npm prune --omit=dev( && )?/, '').replaceAll('/out', out);
        if (steps.trim() !== '') await run('/bin/sh', ['-c', steps], { cwd: context });
      }
      // Of every workspace its package.json, dist and own node_modules, and nothing else (no src, no tests).
      for (const group of ['libs', 'services']) {
        for (const name of readdirSync(join(context, group))) {
          const shipped = ['dist', 'node_modules', 'package.json'].filter((part) => existsSync(join(context, group, name, part)));
          expect([`${group}/${name}`, readdirSync(join(out, group, name)).sort()]).toEqual([`${group}/${name}`, shipped]);
        }
        expect(readdirSync(join(out, group), { recursive: true }).filter((f) => String(f).endsWith('.tsbuildinfo'))).toEqual([]);
      }
      // Every workspace package loads there, from what was gathered: no import reaches for a missing file.
      const workspaces = readdirSync(join(out, 'node_modules', '@webrequests')).map((name) => `@webrequests/${name}`);
      expect(workspaces.length).toBeGreaterThanOrEqual(10);
      const load = `for (const name of ${JSON.stringify(workspaces)}) if (!require.resolve(name).startsWith(process.cwd())) throw new Error(name); else require(name)`;
      await run(process.execPath, ['-e', load], { cwd: out, env: { PATH: process.env.PATH, NODE_ENV: 'production' } });
      for (const target of ['ingress', 'worker']) {
        const cmd = stage(target).body.find((i) => i.op === 'CMD')!;
        const [node, script] = JSON.parse(cmd.args) as string[];
        expect(node).toBe('node');
        expect(existsSync(join(out, script!))).toBe(true);
      }

      // What `docker compose run --rm catalog` runs in the image (WORKDIR /app), with the default folder.
      const { catalog } = documents(join(FILES, 'docker-compose.yml'))[0]!.services;
      const [mount] = catalog.volumes;
      const defaultDir = /^\$\{CATALOG_DIR:-([^}]+)\}$/.exec(mount.source)![1]!;
      const [node, ...args] = [...catalog.entrypoint, ...catalog.command].map((a: string) => (a === mount.target ? resolve(FILES, defaultDir) : a));
      expect(node).toBe('node');
      const env = { PATH: process.env.PATH, NODE_ENV: 'production', STORE_URL: `sqlite:${join(tmp, 'store.db')}` };
      const { stdout } = await run(process.execPath, args, { cwd: out, env });
      expect(stdout).toMatch(/^applying .* to sqlite:/);
      expect(stdout).toMatch(/^[1-9]\d* created, 0 updated, 0 unchanged(; \d+ secret\(s\) not set yet)?$/m);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('docker-compose.yml', () => {
  const [compose] = documents(join(FILES, 'docker-compose.yml'));

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

  it('has a one-shot catalog service, left out of `up`, that applies a mounted folder to the services’ store', () => {
    const { catalog, ingress, worker } = compose!.services;
    expect(catalog).toBeDefined();
    expect(catalog.profiles).toEqual(['tools']);
    // The command `npm run catalog` runs, on the folder mounted at /catalog (./examples unless CATALOG_DIR).
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
    expect(catalog.entrypoint.join(' ')).toBe(scripts.catalog);
    expect(catalog.command).toEqual(['apply', '/catalog']);
    expect(catalog.volumes).toEqual([
      { type: 'bind', source: '${CATALOG_DIR:-./examples}', target: '/catalog', read_only: true, bind: { create_host_path: false } },
    ]);
    expect(existsSync(join(FILES, 'examples', 'webrequests.json'))).toBe(true);
    // The ingress's image, built the same way: it checks scenarios with the code the stack runs.
    expect(catalog.image).toBe(ingress.image);
    expect(catalog.build).toEqual(ingress.build);
    expect(catalog.environment.STORE_URL).toBe(ingress.environment.STORE_URL);
    expect(catalog.environment.STORE_URL).toBe(worker.environment.STORE_URL);
    expect(catalog.depends_on.mongo).toEqual({ condition: 'service_healthy' });
    expect(catalog.ports).toBeUndefined();
    expect(catalog.restart).toBe('no');
  });

  it('builds only targets deploy/Dockerfile has', () => {
    const stages = dockerfileStages(join(FILES, 'deploy', 'Dockerfile')).map((s) => s.name);
    for (const [name, service] of Object.entries(compose!.services as Record<string, Doc>)) {
      if (!service.build) continue;
      expect([name, service.build.dockerfile]).toEqual([name, 'deploy/Dockerfile']);
      expect(stages).toContain(service.build.target);
    }
  });

  itWith(composeTool(), 'is accepted by docker compose, and every service setting it yields passes the config validation', async (argv) => {
    const [bin, ...pre] = argv;
    const args = [...pre, '-f', join(FILES, 'docker-compose.yml'), 'config', '--format', 'json'];
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
    expect(Object.keys(services)).not.toContain('catalog'); // `up` leaves the one-shot catalog service out

    // `docker compose run --rm catalog` enables its profile: the folder it mounts, and the store it writes.
    const catalogOf = async (dir: string | undefined) => {
      const withDir = dir === undefined ? {} : { CATALOG_DIR: dir };
      const { stdout: json } = await run(bin!, [...pre, '--profile', 'tools', ...args.slice(pre.length)], { env: { ...env, ADMIN_TOKEN: 'a-token-of-enough-length', ...withDir } });
      return JSON.parse(json).services.catalog as Doc;
    };
    const catalog = await catalogOf(undefined);
    expect(loadConfig(catalog.environment).store.url).toBe('mongodb://mongo:27017/webrequests');
    expect(catalog.volumes).toEqual([expect.objectContaining({ type: 'bind', source: join(FILES, 'examples'), target: '/catalog', read_only: true })]);
    // An absolute folder on the Docker host (it need not exist for `compose config`).
    expect((await catalogOf('/catalogs/team-a')).volumes[0].source).toBe('/catalogs/team-a');
    expect((await catalogOf('my-catalog')).volumes[0].source).toBe(join(FILES, 'my-catalog')); // a folder, not a named volume
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
    const metricsPort = Number(ingress.env.find((e: Doc) => e.name === 'METRICS_PORT').value);
    expect(ingress.ports).toEqual([{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: metricsPort }]);
    // Prometheus scrapes the metrics listener; the public port answers /metrics with 404.
    expect(deployments[0]!.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(metricsPort));
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

  it('leaves each Deployment’s replica count to its one autoscaler, whose minimum its PodDisruptionBudget can drain', () => {
    const autoscalers = resources.filter((doc) => doc.kind === 'HorizontalPodAutoscaler' || doc.kind === 'ScaledObject');
    for (const deployment of deployments) {
      const { name } = deployment.metadata;
      const [scaler, ...others] = autoscalers.filter((a) => (a.spec.scaleTargetRef.kind ?? 'Deployment') === 'Deployment' && a.spec.scaleTargetRef.name === name);
      expect([name, scaler?.kind, others]).toEqual([name, expect.any(String), []]);
      // A `replicas` here would reset the autoscaler's count on every `kubectl apply`.
      expect([name, deployment.spec.replicas]).toEqual([name, undefined]);
      const hpa = scaler!.kind === 'HorizontalPodAutoscaler';
      const min: number = hpa ? (scaler!.spec.minReplicas ?? 1) : (scaler!.spec.minReplicaCount ?? 0);
      const max: number = hpa ? scaler!.spec.maxReplicas : (scaler!.spec.maxReplicaCount ?? 100);
      // Two at least: a crashed or drained pod leaves one serving (a sync caller waits on a worker too).
      expect([name, min]).toEqual([name, expect.any(Number)]);
      expect(min).toBeGreaterThanOrEqual(2);
      expect(max).toBeGreaterThan(min);
      // At the minimum, the PodDisruptionBudget lets a drain evict a pod and keeps one running.
      const budget = one('PodDisruptionBudget', name).spec;
      const evictable: number = 'minAvailable' in budget ? min - budget.minAvailable : budget.maxUnavailable;
      expect([name, evictable >= 1, min - evictable >= 1]).toEqual([name, true, true]);
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
