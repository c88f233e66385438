import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

// docker-compose.yml is never run here (no Docker engine in development or CI), so these checks are what keeps
// the production shape in step with the code: services, pinned images, start order, search attributes, the
// variables the service reads and the files the image runs.

const REPO_ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  deploy?: { replicas?: number };
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

// Compose supports YAML merge keys (`<<: *anchor`); the yaml package needs to be told.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;
const service = (name: string): ComposeService => {
  const found = services[name];
  assert.ok(found, `docker-compose.yml has no service "${name}"`);
  return found;
};

const PRODUCTION_SERVICES = [
  'postgresql',
  'temporal',
  'temporal-admin-tools',
  'temporal-ui',
  'migrate',
  'api',
  'worker',
];
const APP_SERVICES = ['migrate', 'api', 'worker'];

/** Every variable loadConfig reads, found by handing it an environment that records each lookup. */
function variablesConfigReads(): Set<string> {
  const seen = new Set<string>();
  const recorder = new Proxy({} as NodeJS.ProcessEnv, {
    get(_target, key) {
      if (typeof key === 'string' && /^[A-Z][A-Z0-9_]*$/.test(key)) seen.add(key);
      return undefined;
    },
  });
  loadConfig(recorder);
  return seen;
}

function envExampleNames(): string[] {
  return read('.env.example')
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

function environmentKeys(svc: ComposeService): string[] {
  const env = svc.environment ?? {};
  return Array.isArray(env) ? env.map((entry) => entry.split('=')[0]!) : Object.keys(env);
}

function dependency(svc: ComposeService, on: string): { condition?: string } | undefined {
  const deps = svc.depends_on;
  if (deps === undefined) return undefined;
  return Array.isArray(deps) ? (deps.includes(on) ? {} : undefined) : deps[on];
}

function commandText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}

/** The Dockerfile's CMD as an exec-form array. */
function dockerfileCmd(dockerfile: string): string[] {
  const line = dockerfile.split('\n').find((l) => /^CMD\s/.test(l));
  assert.ok(line, 'the Dockerfile has no CMD');
  return JSON.parse(line.replace(/^CMD\s+/, '')) as string[];
}

/** tsc's output for a source file, under the project's build settings (outDir, rootDir, include). */
function buildOutputs(): { outDir: string; sources: (jsPath: string) => string | undefined } {
  const base = JSON.parse(read('tsconfig.json')) as { compilerOptions: { outDir: string; rootDir: string } };
  const build = JSON.parse(read('tsconfig.build.json')) as { extends: string; include: string[] };
  assert.equal(build.extends, './tsconfig.json');
  const { outDir, rootDir } = base.compilerOptions;
  return {
    outDir,
    sources(jsPath) {
      const relative = path.posix.relative(outDir, jsPath);
      if (relative.startsWith('..') || !relative.endsWith('.js')) return undefined;
      const source = path.posix.join(rootDir, relative.replace(/\.js$/, '.ts'));
      const isIncluded = build.include.some((dir) => source === dir || source.startsWith(`${dir}/`));
      return isIncluded ? source : undefined;
    },
  };
}

describe('docker-compose.yml', () => {
  it('defines every service of the production shape when parsed', () => {
    for (const name of PRODUCTION_SERVICES) service(name);
  });

  it('leaves the Vonage sandbox out when describing production', () => {
    for (const [name, svc] of Object.entries(services)) {
      assert.doesNotMatch(name, /sandbox/);
      assert.doesNotMatch(commandText(svc.command), /sandbox/, `service ${name} runs the sandbox`);
    }
  });

  it('pins every image to a tag other than latest when listing images', () => {
    for (const [name, svc] of Object.entries(services)) {
      assert.ok(svc.image, `service ${name} has no image`);

      const lastSegment = svc.image.split('/').at(-1)!;
      const tag = lastSegment.includes(':') ? lastSegment.split(':').at(-1) : undefined;

      assert.ok(tag, `service ${name}: image ${svc.image} has no tag`);
      assert.notEqual(tag, 'latest', `service ${name}: image ${svc.image} uses latest`);
      assert.doesNotMatch(tag, /\$/, `service ${name}: image ${svc.image} takes its tag from a variable`);
    }
  });

  it('runs the API, worker and migration from the image built here when starting the service', () => {
    const images = APP_SERVICES.map((name) => service(name).image);

    for (const name of APP_SERVICES) assert.ok(service(name).build, `service ${name} does not build the image`);
    assert.equal(new Set(images).size, 1, `api, worker and migrate use different images: ${images.join(', ')}`);
  });

  it('runs at least two api and worker replicas when deployed', () => {
    for (const name of ['api', 'worker']) {
      const replicas = service(name).deploy?.replicas ?? 1;

      assert.ok(replicas >= 2, `service ${name} has ${replicas} replica(s)`);
    }
  });

  it('starts api and worker only after migrate completed and temporal is healthy when brought up', () => {
    for (const name of ['api', 'worker']) {
      const svc = service(name);

      assert.equal(dependency(svc, 'migrate')?.condition, 'service_completed_successfully', `${name} → migrate`);
      assert.equal(dependency(svc, 'temporal')?.condition, 'service_healthy', `${name} → temporal`);
      assert.equal(
        dependency(svc, 'temporal-admin-tools')?.condition,
        'service_completed_successfully',
        `${name} → temporal-admin-tools (search attributes must exist before a workflow sets them)`,
      );
    }
  });

  it('starts migrate and temporal only after postgresql is healthy when brought up', () => {
    for (const name of ['migrate', 'temporal']) {
      assert.equal(dependency(service(name), 'postgresql')?.condition, 'service_healthy', `${name} → postgresql`);
    }
    assert.equal(dependency(service('temporal-admin-tools'), 'temporal')?.condition, 'service_healthy');
  });

  it('runs Temporal on the Postgres service when configured', () => {
    const env = service('temporal').environment as Record<string, string>;

    assert.match(service('temporal').image!, /^temporalio\/auto-setup:1\.2\d\.\d+$/);
    assert.equal(env.DB, 'postgres12');
    assert.equal(env.POSTGRES_SEEDS, 'postgresql');
  });

  it('registers exactly the search attributes the workflows set when the admin-tools job runs', () => {
    const script = commandText(service('temporal-admin-tools').command);
    const registered = [...script.matchAll(/search-attribute create\b([^\n]*)/g)].map(([, args]) => ({
      namespace: /--namespace\s+(\S+)/.exec(args!)?.[1],
      name: /--name\s+(\S+)/.exec(args!)?.[1],
      // The CLI spells types in PascalCase (KeywordList); the SDK in SCREAMING_SNAKE_CASE (KEYWORD_LIST).
      type: /--type\s+(\S+)/
        .exec(args!)?.[1]
        ?.replace(/([a-z])([A-Z])/g, '$1_$2')
        .toUpperCase(),
    }));
    const appNamespace = (service('api').environment as Record<string, string>).TEMPORAL_NAMESPACE;

    assert.deepEqual(
      registered.map(({ name, type }) => ({ name, type })).sort((a, b) => a.name!.localeCompare(b.name!)),
      SEARCH_ATTRIBUTES.map(({ name, type }) => ({ name, type })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    for (const { namespace } of registered) assert.equal(namespace, appNamespace);
  });

  it('passes api, worker and migrate only variables src/config.ts reads when building their environment', () => {
    const known = new Set(envExampleNames());

    for (const name of APP_SERVICES) {
      const unknown = environmentKeys(service(name)).filter((key) => !known.has(key));

      assert.deepEqual(unknown, [], `service ${name} sets variables .env.example does not list`);
    }
  });

  it('gives api and worker the production secrets when building their environment', () => {
    for (const name of ['api', 'worker']) {
      const env = service(name).environment as Record<string, string>;

      assert.equal(env.NODE_ENV, 'production', `${name} must run with NODE_ENV=production`);
      for (const secret of ['VONAGE_SIGNATURE_SECRET', 'PHONE_HASH_KEY']) {
        assert.match(env[secret] ?? '', /^\$\{\w+:\?/, `${name}: ${secret} must be a required variable`);
      }
    }
  });

  it('checks the health of postgresql, temporal and api when running', () => {
    for (const name of ['postgresql', 'temporal', 'api']) {
      const healthcheck = service(name).healthcheck;

      assert.ok(healthcheck?.test && healthcheck.disable !== true, `service ${name} has no healthcheck`);
    }
    const port = (service('api').environment as Record<string, string>).PORT;
    assert.match(commandText(service('api').healthcheck!.test), new RegExp(`:${port}/readyz\\b`));
    assert.match(commandText(service('temporal').healthcheck!.test), /temporal operator cluster health|tctl/);
  });
});

describe('.env.example', () => {
  it('lists exactly the variables src/config.ts reads when compared with the config schema', () => {
    const names = envExampleNames();

    assert.equal(new Set(names).size, names.length, 'a variable is listed twice');
    assert.deepEqual([...names].sort(), [...variablesConfigReads()].sort());
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('runs files that npm run build produces when starting each service', () => {
    const { sources } = buildOutputs();
    const commands = [dockerfileCmd(dockerfile), ...APP_SERVICES.map((name) => service(name).command)];
    const entryPaths = commands.flatMap((command) =>
      (Array.isArray(command) ? command : commandText(command).split(/\s+/)).filter((arg) => arg.endsWith('.js')),
    );

    assert.ok(entryPaths.length >= 4, `expected the server, worker and migration entry points: ${entryPaths}`);
    for (const entry of entryPaths) {
      const source = sources(entry);
      assert.ok(source, `${entry} is not a build output of tsconfig.build.json`);
      assert.ok(existsSync(path.join(REPO_ROOT, source)), `${entry} would come from ${source}, which does not exist`);
    }
  });

  it('builds with npm run build from every source folder tsc compiles when building the image', () => {
    const build = JSON.parse(read('tsconfig.build.json')) as { include: string[] };

    assert.match(dockerfile, /^RUN npm ci\b/m);
    assert.match(dockerfile, /^RUN npm run build\b/m);
    for (const dir of build.include) {
      assert.match(dockerfile, new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'), `the image does not copy ${dir}/`);
    }
  });

  it('uses the Node version of .nvmrc when choosing the base image', () => {
    const nodeVersion = /^ARG NODE_VERSION=(\S+)$/m.exec(dockerfile)?.[1];

    assert.equal(nodeVersion, read('.nvmrc').trim());
    assert.match(dockerfile, /^FROM node:\$\{NODE_VERSION\}-bookworm-slim\b/m);
  });
});
