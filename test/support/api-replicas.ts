import { spawn, type ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { onEachLine } from './system';

/**
 * The API in the shape docker-compose.yml runs it: more than one replica behind a load balancer. The fault suite's
 * scale-out run (test/faults/scale-out.fault.ts) SIGKILLs a replica mid-release; the balancer here stands in for
 * the one in front of a deployment, so the load driver and the sandbox's callbacks keep one address.
 */

const REPO_ROOT = path.resolve(__dirname, '../..');
const API_READY_TIMEOUT_MS = 120_000;
/**
 * After a connection to a replica fails, the balancer leaves it out for this long (nginx's passive check:
 * max_fails=1, fail_timeout), then tries it again.
 */
const UPSTREAM_DOWN_MS = 2_000;

/** One spawned src/server.ts process. */
export interface ApiProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  readonly hasExited: boolean;
}

/**
 * Spawns src/server.ts on `port` with `env` (the worker's environment and HOST/PORT) and resolves once its /readyz
 * answers 200: it listens and reaches Postgres and Temporal.
 */
export async function spawnApiProcess(options: {
  port: number;
  env: NodeJS.ProcessEnv;
  log: WriteStream;
}): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/server.ts')], {
    cwd: REPO_ROOT,
    env: { ...options.env, HOST: '127.0.0.1', PORT: String(options.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not spawn the API');
  const pid = child.pid;
  options.log.write(`--- api ${pid} spawned on port ${options.port} at ${new Date().toISOString()}\n`);
  onEachLine(child, (line) => options.log.write(`[api ${pid}] ${line}\n`));
  let hasExited = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      hasExited = true;
      options.log.write(`--- api ${pid} exited (${signal ?? code}) at ${new Date().toISOString()}\n`);
      resolve();
    }),
  );
  const api: ApiProcess = {
    child,
    pid,
    url: `http://127.0.0.1:${options.port}`,
    exited,
    get hasExited() {
      return hasExited;
    },
  };
  const deadline = Date.now() + API_READY_TIMEOUT_MS;
  for (;;) {
    if (api.hasExited) throw new Error(`API ${pid} exited before it was ready`);
    try {
      const response = await fetch(`${api.url}/readyz`, { signal: AbortSignal.timeout(5000) });
      if (response.status === 200) return api;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`API ${pid} not ready within ${API_READY_TIMEOUT_MS} ms`);
    await sleep(200);
  }
}

/** A round-robin HTTP load balancer on 127.0.0.1 in front of the API replicas. */
export interface Balancer {
  readonly url: string;
  /** Requests each upstream answered (any status), by upstream URL. */
  readonly answered: ReadonlyMap<string, number>;
  /** Requests answered 502 because the replica's connection failed before it answered. */
  readonly badGateways: number;
  close(): Promise<void>;
}

/**
 * Forwards each request to the next replica in turn. A replica whose connection fails is left out for a moment; the
 * request that met the failure gets 502, which the load driver and the sandbox (as Vonage) retry. Like nginx's
 * default for POST, the balancer itself never resends a request: the replica may have acted on it before dying, and
 * deciding that is the retrying client's business (idempotency keys, webhook message ids).
 */
export async function startBalancer(upstreams: readonly string[]): Promise<Balancer> {
  const answered = new Map<string, number>(upstreams.map((upstream) => [upstream, 0]));
  const downUntil = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true });
  let turn = 0;
  let badGateways = 0;

  const next = (): string => {
    const now = Date.now();
    for (let i = 0; i < upstreams.length; i += 1) {
      const upstream = upstreams[(turn + i) % upstreams.length]!;
      if ((downUntil.get(upstream) ?? 0) <= now) {
        turn = (turn + i + 1) % upstreams.length;
        return upstream;
      }
    }
    turn = (turn + 1) % upstreams.length;
    return upstreams[turn]!;
  };

  const server = http.createServer((req, res) => {
    const upstream = next();
    const target = new URL(req.url ?? '/', upstream);
    const headers: IncomingHttpHeaders = { ...req.headers, host: target.host };
    const forwarded = http.request(target, { method: req.method, headers, agent }, (answer) => {
      answered.set(upstream, (answered.get(upstream) ?? 0) + 1);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      // The replica died while its answer was on the way: the client sees the connection cut, as behind nginx.
      answer.once('aborted', () => res.destroy());
    });
    forwarded.once('error', (error) => {
      downUntil.set(upstream, Date.now() + UPSTREAM_DOWN_MS);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      badGateways += 1;
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'bad_gateway', message: `upstream ${upstream}: ${error.message}` }));
    });
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answered,
    get badGateways() {
      return badGateways;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
