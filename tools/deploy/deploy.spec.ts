/**
 * Deployment files checked without a Docker engine: docker-compose.yml through Debian's
 * `docker-compose config` (v1, `apt-get install docker-compose`), which validates it against the
 * Compose schema and interpolates it; the Dockerfiles through a structural reading (pinned bases,
 * multi-stage, non-root, healthcheck, tfjs-node-gpu pinned to the workspace's tfjs-core); and
 * docs/deploy.md's `ltlab` commands against the CLI's sources. A missing validator fails the test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const SECRETS = { REDIS_PASSWORD: 'test-redis-secret', POSTGRES_PASSWORD: 'test-postgres-secret' };

function composeConfig(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const found = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
  if (found.error !== undefined || found.status !== 0) {
    throw new Error(
      'docker-compose is not installed: it validates docker-compose.yml. Install it with `apt-get install docker-compose` (.ci/run does).',
    );
  }
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(REDIS|POSTGRES|LTLAB|COMPOSE)_/.test(key) && key !== 'DATABASE_URL',
    ),
  );
  const result = spawnSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), 'config'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...base, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  deploy?: {
    resources?: { reservations?: { devices?: { driver?: string; count?: unknown; capabilities?: string[] }[] } };
  };
  ports?: string[];
  profiles?: string[];
}

describe('docker-compose.yml', () => {
  const result = composeConfig(SECRETS);
  const config = () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return parse(result.stdout) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
  };

  it('passes `docker-compose config` (schema and interpolation)', () => {
    expect(Object.keys(config().services).sort()).toEqual(['control', 'postgres', 'redis', 'worker', 'worker-cpu']);
  });

  it('refuses to render without a Redis password', () => {
    const { REDIS_PASSWORD: _, ...rest } = SECRETS;
    const missing = composeConfig(rest);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('REDIS_PASSWORD');
  });

  it('gives every service a healthcheck and a restart policy', () => {
    for (const [name, service] of Object.entries(config().services)) {
      expect(service.healthcheck?.test.length, `${name} healthcheck`).toBeGreaterThan(0);
      expect(service.restart, `${name} restart`).toBe('unless-stopped');
    }
  });

  it('runs Redis with its password, append-only persistence and no eviction', () => {
    const redis = config().services.redis as ComposeService;
    const command = (redis.command ?? []).join(' ');
    expect(command).toContain('--requirepass');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(redis.volumes).toContain('redis-data:/data:rw');
    expect(redis.environment?.REDISCLI_AUTH).toBe(SECRETS.REDIS_PASSWORD);
    // Published on this host only unless REDIS_BIND says otherwise.
    expect(redis.ports?.[0]).toMatch(/^127\.0\.0\.1:6379:6379/);
  });

  it('keeps PostgreSQL on a volume and makes control wait for healthy services, migrate, then serve', () => {
    const { services } = config();
    expect(services.postgres?.volumes).toContain('postgres-data:/var/lib/postgresql/data:rw');
    const control = services.control as ComposeService;
    expect(control.depends_on).toEqual({
      redis: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
    });
    expect([...(control.entrypoint ?? []), ...(control.command ?? [])].join(' ')).toBe(
      'sh -c ltlab db migrate && exec ltlab serve',
    );
    expect(control.environment?.DATABASE_URL).toBe(
      `postgresql://ltlab:${SECRETS.POSTGRES_PASSWORD}@postgres:5432/ltlab`,
    );
  });

  it('gives every ltlab service the password-protected REDIS_URL and the shared artifacts volume', () => {
    const { services, volumes } = config();
    expect(Object.keys(volumes)).toContain('artifacts');
    for (const name of ['control', 'worker', 'worker-cpu']) {
      const service = services[name] as ComposeService;
      expect(service.environment?.REDIS_URL, name).toBe(`redis://:${SECRETS.REDIS_PASSWORD}@redis:6379`);
      expect(service.environment?.LTLAB_ARTIFACTS, name).toBe('/data/artifacts');
      expect(service.volumes, name).toContain('artifacts:/data/artifacts:rw');
    }
  });

  it('switches to TLS and a remote control host through REDIS_SCHEME and REDIS_HOST', () => {
    const remote = composeConfig({ ...SECRETS, REDIS_SCHEME: 'rediss', REDIS_HOST: 'control.lan', REDIS_PORT: '6380' });
    expect(remote.status).toBe(0);
    const { services } = parse(remote.stdout) as { services: Record<string, ComposeService> };
    expect(services.worker?.environment?.REDIS_URL).toBe(`rediss://:${SECRETS.REDIS_PASSWORD}@control.lan:6380`);
  });

  it('requests every GPU of the node for the GPU worker, from the GPU image, and scales (no fixed name or port)', () => {
    const worker = config().services.worker as ComposeService;
    expect(worker.deploy?.resources?.reservations?.devices).toEqual([
      { driver: 'nvidia', count: 'all', capabilities: ['gpu'] },
    ]);
    expect(worker.build?.dockerfile).toBe('docker/worker-gpu.Dockerfile');
    expect(worker.command).toEqual(['worker', '--gpus', 'all']);
    expect(worker.ports).toBeUndefined();
    expect(worker).not.toHaveProperty('container_name');
    expect(worker.profiles).toEqual(['gpu']);
  });

  it('builds only from Dockerfiles that exist', () => {
    for (const [name, service] of Object.entries(config().services)) {
      if (service.build !== undefined) expect(existsSync(join(root, service.build.dockerfile)), name).toBe(true);
    }
  });
});

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions: comments dropped, `\` continuations joined, parser directives ignored. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    pending += `${line.endsWith('\\') ? line.slice(0, -1) : line} `;
    if (line.endsWith('\\')) continue;
    const match = /^(\S+)\s*(.*)$/.exec(pending.trim());
    if (match !== null) out.push({ keyword: (match[1] as string).toUpperCase(), args: (match[2] as string).trim() });
    pending = '';
  }
  return out;
}

interface Stage {
  image: string;
  name: string | null;
  body: Instruction[];
}

/** Stages with their base image resolved through the global ARG defaults. */
function stages(text: string): { args: Record<string, string>; stages: Stage[] } {
  const args: Record<string, string> = {};
  const result: Stage[] = [];
  for (const instruction of instructions(text)) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      const resolved = image.replace(/\$\{(\w+)\}/g, (_, key: string) => args[key] ?? `<unset ${key}>`);
      result.push({ image: resolved, name: as?.toUpperCase() === 'AS' ? (name ?? null) : null, body: [] });
    } else if (result.length === 0 && instruction.keyword === 'ARG') {
      const [key, value] = instruction.args.split('=');
      if (key !== undefined && value !== undefined) args[key] = value;
    } else {
      result.at(-1)?.body.push(instruction);
    }
  }
  return { args, stages: result };
}

/** A .dockerignore line as a regular expression over context paths (`*` and `**`; this file uses no `!`). */
function dockerignorePattern(line: string): RegExp {
  const source = line
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .map((part) =>
      part === '**' ? '(?:[^/]+/)*' : `${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}/`,
    )
    .join('');
  // A pattern excludes the path itself and everything below it.
  return new RegExp(`^${source.slice(0, -1)}(?:/.*)?$`);
}

const DOCKERFILES = ['docker/Dockerfile', 'docker/worker-gpu.Dockerfile'] as const;

describe('the local Redis of scripts/main-job.sh and .ci/run', () => {
  /** Each `redis-server` command of a script, its continuation lines joined. */
  function redisServerCommands(path: string): string[] {
    return read(path)
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .filter((line) => /^\s*redis-server /.test(line));
  }

  it.each(['scripts/main-job.sh', '.ci/run'])('%s starts it durable: append-only every second, no eviction', (path) => {
    const commands = redisServerCommands(path);
    expect(commands.length, 'a redis-server command').toBeGreaterThan(0);
    for (const command of commands) {
      expect(command).toContain('--appendonly yes');
      expect(command).toContain('--appendfsync everysec');
      expect(command).toContain('--maxmemory-policy noeviction');
      expect(command).not.toContain('--appendonly no');
    }
  });

  it.each(['scripts/main-job.sh', '.ci/run'])('%s checks a Redis that already ran and warns', (path) => {
    const script = read(path).replace(/\\\n\s*/g, ' ');
    const checks = script.split('\n').filter((line) => !/^\s*redis-server /.test(line));
    expect(script).toContain('config get');
    expect(script).toContain('warning: ');
    expect(checks.some((line) => line.includes('appendonly'))).toBe(true);
    expect(checks.some((line) => line.includes('noeviction'))).toBe(true);
  });
});

describe.each(DOCKERFILES)('%s', (path) => {
  const parsed = stages(read(path));
  const final = parsed.stages.at(-1) as Stage;
  const names = parsed.stages.map((stage) => stage.name);

  it('is multi-stage and pins every base image by an explicit version tag', () => {
    expect(parsed.stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of parsed.stages) {
      if (names.includes(stage.image)) continue;
      expect(stage.image, stage.name ?? '').toMatch(/^[\w./-]+:(?!latest\b)[\w.-]*\d[\w.-]*(@sha256:[0-9a-f]{64})?$/);
    }
  });

  it('copies only from stages defined before', () => {
    parsed.stages.forEach((stage, index) => {
      for (const instruction of stage.body.filter((i) => i.keyword === 'COPY')) {
        const from = /--from=(\S+)/.exec(instruction.args)?.[1];
        if (from !== undefined) expect(names.slice(0, index), instruction.args).toContain(from);
      }
    });
  });

  it('runs as a non-root user, with a healthcheck and the ltlab entrypoint', () => {
    const users = final.body.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(final.body.some((i) => i.keyword === 'HEALTHCHECK' && i.args.includes('CMD'))).toBe(true);
    expect(final.body.find((i) => i.keyword === 'ENTRYPOINT')?.args).toBe('["ltlab"]');
  });

  it('installs from the lockfile and builds the workspace', () => {
    const runs = parsed.stages.flatMap((stage) => stage.body.filter((i) => i.keyword === 'RUN').map((i) => i.args));
    expect(runs.some((run) => run.includes('npm ci') && run.includes('npm run build'))).toBe(true);
    expect(runs.some((run) => /npm prune --omit=dev/.test(run))).toBe(true);
  });
});

describe('docker/worker-gpu.Dockerfile versions', () => {
  const text = read('docker/worker-gpu.Dockerfile');
  const parsed = stages(text);
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string }> };

  it('pins tfjs-node-gpu to the version of the workspace tfjs-core', () => {
    const core = lock.packages['node_modules/@tensorflow/tfjs-core']?.version;
    expect(core).toMatch(/^\d+\.\d+\.\d+$/);
    expect(parsed.args.TFJS_NODE_GPU_VERSION).toBe(core);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's own ARG reference, verbatim.
    expect(text).toContain('"@tensorflow/tfjs-node-gpu@${TFJS_NODE_GPU_VERSION}"');
  });

  it('carries the CUDA 11.2 + cuDNN 8 libraries libtensorflow 2.9.1 was built for, on a base Dawn runs on', () => {
    expect(parsed.args.CUDA_IMAGE).toMatch(/^nvidia\/cuda:11\.2\.\d+-cudnn8-runtime-ubuntu\d+\.\d+$/);
    // The libraries come from a stage on the CUDA image; the runtime is the bookworm Node image,
    // because Dawn's prebuilt binary needs glibc 2.34, newer than the CUDA 11.2 images' Ubuntu 20.04.
    expect(parsed.stages.find((stage) => stage.name === 'cuda')?.image).toBe(parsed.args.CUDA_IMAGE);
    expect(parsed.stages.at(-1)?.image).toBe(parsed.args.NODE_IMAGE);
    expect(text).toContain('COPY --from=cuda');
    expect(text).toContain('libtensorflow.so.2.9.1');
  });

  it('only builds when the webgpu backend registers, and gives the container the Vulkan driver', () => {
    const final = parsed.stages.at(-1) as Stage;
    expect(final.body.some((i) => i.keyword === 'RUN' && i.args.includes('node docker/check-webgpu-backend.mjs'))).toBe(
      true,
    );
    expect(existsSync(join(root, 'docker/check-webgpu-backend.mjs'))).toBe(true);
    expect(text).toMatch(/NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics/);
    expect(text).toContain('libvulkan1');
  });

  it('only builds when the tensorflow backend loads and computes, from a script the build context carries', () => {
    const final = parsed.stages.at(-1) as Stage;
    const check = final.body.find((i) => i.keyword === 'RUN' && i.args.includes('check-tensorflow-backend.mjs'));
    expect(check?.args).toContain('node docker/check-tensorflow-backend.mjs');
    expect(existsSync(join(root, 'docker/check-tensorflow-backend.mjs'))).toBe(true);
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map(dockerignorePattern);
    for (const path of [
      'docker',
      'docker/check-tensorflow-backend.mjs',
      'package-lock.json',
      'apps/cli/bin/ltlab.mjs',
    ]) {
      expect(ignored.filter((pattern) => pattern.test(path)).map(String), `${path} reaches the build context`).toEqual(
        [],
      );
    }
  });
});

describe('docs/deploy.md', () => {
  const doc = read('docs/deploy.md');
  // A command's flags are declared in its command tree entry (apps/cli/src/tree) and read in its
  // implementation (apps/cli/src/commands): either counts as defining them.
  const sources: Record<string, string> = {};
  for (const dir of ['apps/cli/src/commands', 'apps/cli/src/tree']) {
    for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
      const command = file.replace(/\.ts$/, '');
      sources[command] = `${sources[command] ?? ''}\n${readFileSync(join(root, dir, file), 'utf8')}`;
    }
  }
  const help = execFileSync(process.execPath, [join(root, 'apps/cli/bin/ltlab.mjs'), '--help'], {
    encoding: 'utf8',
  });
  // `ltlab <command> ...` inside code blocks, also after `docker compose run ... control` / `exec`.
  const blocks = [...doc.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  const invocations = blocks
    .flatMap((block) => block.split('\n'))
    .flatMap((line) => [...line.matchAll(/\bltlab ([a-z][\w-]*)((?: [^|;&#]*)?)/g)])
    .map((m) => ({ command: m[1] as string, rest: (m[2] ?? '').trim() }));

  it('documents ltlab commands', () => {
    expect(invocations.length).toBeGreaterThan(5);
  });

  it('uses only commands that `ltlab --help` lists, with flags their sources define', () => {
    for (const { command, rest } of invocations) {
      expect(help, `ltlab ${command}`).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
      const source = sources[command] ?? '';
      for (const flag of rest.match(/--[a-z][\w-]*/g) ?? []) {
        const name = flag.slice(2);
        const defined =
          source.includes(`'${name}'`) ||
          new RegExp(`\\b${name}: \\{`).test(source) ||
          // worker flags are shared with `up`.
          (command === 'up' &&
            ((sources.worker ?? '').includes(`${name}: {`) || (sources.worker ?? '').includes(`'${name}'`)));
        expect(defined || name === 'json' || name === 'help', `ltlab ${command} ${flag}`).toBe(true);
      }
    }
  });

  it('names the compose services and files that exist', () => {
    for (const match of doc.matchAll(
      /docker compose (?:[^\n`]*? )?(?:up|run|exec|logs|restart|pull|build)(?: -\w+| --[\w-]+)* ([a-z][\w-]*)/g,
    )) {
      expect(['redis', 'postgres', 'control', 'worker', 'worker-cpu'], match[0]).toContain(match[1]);
    }
    for (const match of doc.matchAll(/\b(docker\/[\w.-]+|docker-compose\.yml)\b/g)) {
      expect(existsSync(join(root, match[1] as string)), match[1]).toBe(true);
    }
  });
});
