// Checks generated Envoy config against Envoy's own v3 API protos (shipped by @grpc/grpc-js-xds), decoded strictly
// with protobufjs' ProtoJSON, plus what the protos cannot say: references between parts, filter order, and
// settings whose defaults silently disable a feature. Used by the tests; no envoy binary needed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import protobuf from 'protobufjs';
import protojson from 'protobufjs/ext/protojson.js';
import { parse } from 'yaml';
import { ENVOY_CONFIG_DIR } from '../emit.ts';
import { TYPE, type Json } from './config.ts';

/** Well-known types protobufjs bundles instead of shipping as files. */
const BUNDLED = new Set(
  ['any', 'duration', 'timestamp', 'empty', 'struct', 'wrappers', 'field_mask'].map((n) => `google/protobuf/${n}.proto`),
);

function protoRoot(): protobuf.Root {
  const require = createRequire(import.meta.url);
  const deps = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const includes = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate']
    .map((d) => path.join(deps, d))
    .concat(path.dirname(require.resolve('protobufjs/package.json')));
  const find = (file: string) => (BUNDLED.has(file) ? file : includes.map((i) => path.join(i, file)).find((p) => existsSync(p)));

  // A handful of tracing/metrics protos import packages the vendored tree lacks; every file with a missing import
  // (transitively) is left out. None of them is a type a bootstrap of ours can use.
  const loadable = new Map<string, boolean>();
  const canLoad = (file: string): boolean => {
    if (loadable.has(file)) return loadable.get(file)!;
    loadable.set(file, true);
    const found = find(file);
    let ok = found !== undefined;
    if (found && !BUNDLED.has(found)) {
      for (const m of readFileSync(found, 'utf8').matchAll(/^import\s+(?:public\s+|weak\s+)?"([^"]+)";/gm)) ok = canLoad(m[1]!) && ok;
    }
    loadable.set(file, ok);
    return ok;
  };
  const apiRoot = path.join(deps, 'envoy-api');
  const files = walk(path.join(apiRoot, 'envoy'))
    .map((f) => path.relative(apiRoot, f))
    .filter((f) => /\/v3(alpha)?\//.test(f) && canLoad(f));
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => find(target) ?? target;
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  return root;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (f.endsWith('.proto')) out.push(p);
  }
  return out;
}

let cachedRoot: protobuf.Root | undefined;

export class EnvoyChecker {
  private readonly bootstrapType: protobuf.Type;
  private readonly discoveryType: protobuf.Type;

  constructor(root: protobuf.Root = (cachedRoot ??= protoRoot())) {
    this.bootstrapType = root.lookupType('envoy.config.bootstrap.v3.Bootstrap');
    this.discoveryType = root.lookupType('envoy.service.discovery.v3.DiscoveryResponse');
  }

  /** Problems with the target's files (`envoy.yaml` and `sds/*.yaml`); empty when all is well. */
  checkFiles(files: Record<string, string>): string[] {
    const problems: string[] = [];
    const bootstrap = parse(files['envoy.yaml'] ?? '') as Json | null;
    if (!bootstrap) return ['envoy.yaml: missing or empty'];
    problems.push(...this.checkBootstrap(bootstrap).map((p) => `envoy.yaml: ${p}`));
    for (const sds of findAll(bootstrap, (o) => isObject(o.sds_config))) {
      const source = (sds.sds_config as Json).path_config_source as Json | undefined;
      const file =
        typeof source?.path === 'string' && source.path.startsWith(`${ENVOY_CONFIG_DIR}/`)
          ? source.path.slice(ENVOY_CONFIG_DIR.length + 1)
          : undefined;
      if (!file || files[file] === undefined) {
        problems.push(`envoy.yaml: secret ${String(sds.name)} is read from ${String(source?.path)}, which the target does not emit`);
        continue;
      }
      problems.push(...this.checkSds(parse(files[file]!) as Json, String(sds.name)).map((p) => `${file}: ${p}`));
    }
    return problems;
  }

  checkBootstrap(bootstrap: Json): string[] {
    const problems = this.decode(this.bootstrapType, bootstrap);
    const statics = (bootstrap.static_resources ?? {}) as Json;
    const clusters = ((statics.clusters ?? []) as Json[]).map((c) => String(c.name));
    const seen = new Set<string>();
    for (const c of clusters) {
      if (seen.has(c)) problems.push(`cluster ${c} is defined twice`);
      seen.add(c);
    }
    const admin = (((bootstrap.admin as Json | undefined)?.address as Json | undefined)?.socket_address ?? {}) as Json;
    if (admin.address !== undefined && !['127.0.0.1', '::1'].includes(String(admin.address)))
      problems.push(`admin listens on ${String(admin.address)}, not on localhost`);
    for (const hcm of findAll(bootstrap, (o) => o['@type'] === url(TYPE.hcm))) problems.push(...checkConnectionManager(hcm, seen));
    for (const rl of findAll(bootstrap, (o) => o['@type'] === url(TYPE.localRateLimit))) problems.push(...checkLocalRateLimit(rl));
    for (const cluster of (statics.clusters ?? []) as Json[]) problems.push(...checkOutlierDetection(cluster));
    for (const secret of findAll(bootstrap, (o) => isObject(o.generic_secret) || isObject(o.tls_certificate)))
      problems.push(...inlineSecrets(secret));
    return problems;
  }

  checkSds(doc: Json, name: string): string[] {
    const problems = this.decode(this.discoveryType, doc);
    const resources = (doc?.resources ?? []) as Json[];
    if (!resources.some((r) => r.name === name)) problems.push(`no secret named ${name}`);
    for (const r of resources) problems.push(...inlineSecrets(r));
    return problems;
  }

  private decode(type: protobuf.Type, doc: unknown): string[] {
    try {
      protojson.fromJson(type, doc);
      return [];
    } catch (err) {
      return [`does not decode as ${type.fullName.slice(1)}: ${(err as Error).message}`];
    }
  }
}

const url = (type: string) => `type.googleapis.com/${type}`;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every object in the tree for which `test` holds. */
function findAll(node: unknown, test: (o: Json) => boolean, out: Json[] = []): Json[] {
  if (Array.isArray(node)) node.forEach((n) => findAll(n, test, out));
  else if (isObject(node)) {
    if (test(node)) out.push(node);
    Object.values(node).forEach((v) => findAll(v, test, out));
  }
  return out;
}

function checkConnectionManager(hcm: Json, clusters: Set<string>): string[] {
  const problems: string[] = [];
  if (!hcm.stat_prefix) problems.push('an HTTP connection manager has an empty stat_prefix');
  const filters = (hcm.http_filters ?? []) as Json[];
  const names = filters.map((f) => String(f.name));
  const routers = filters.filter((f) => (f.typed_config as Json | undefined)?.['@type'] === url(TYPE.router));
  if (routers.length !== 1 || filters.at(-1) !== routers[0])
    problems.push(`the router must be the last HTTP filter, once (filters: ${names.join(', ')})`);
  if (new Set(names).size !== names.length) problems.push(`HTTP filter names repeat: ${names.join(', ')}`);

  const routeConfig = (hcm.route_config ?? {}) as Json;
  const enabled = new Set<string>();
  for (const perFilter of findAll(routeConfig, (o) => isObject(o.typed_per_filter_config))) {
    for (const [name, config] of Object.entries(perFilter.typed_per_filter_config as Json)) {
      if (!names.includes(name)) problems.push(`per-route config for ${name}, which is not an HTTP filter`);
      if (!(config as Json).disabled) enabled.add(name);
    }
  }
  for (const f of filters)
    if (f.disabled && !enabled.has(String(f.name))) problems.push(`HTTP filter ${String(f.name)} is disabled and no route enables it`);

  const scripts = new Set(
    Object.keys((filters.find((f) => (f.typed_config as Json)?.['@type'] === url(TYPE.lua))?.typed_config as Json)?.source_codes ?? {}),
  );
  for (const perRoute of findAll(routeConfig, (o) => o['@type'] === url(TYPE.luaPerRoute))) {
    if (typeof perRoute.name === 'string' && !scripts.has(perRoute.name)) problems.push(`Lua script ${perRoute.name} is not defined`);
  }

  for (const vh of (routeConfig.virtual_hosts ?? []) as Json[]) {
    const routes = (vh.routes ?? []) as Json[];
    const last = routes.at(-1)?.match as Json | undefined;
    if (last?.prefix !== '/' || (last.headers as unknown[] | undefined)?.length)
      problems.push(`virtual host ${String(vh.name)} does not end with a catch-all route`);
    for (const r of routes) {
      const action = (r.route ?? {}) as Json;
      const targets = [
        action.cluster,
        ...(((action.weighted_clusters as Json | undefined)?.clusters ?? []) as Json[]).map((c) => c.name),
      ].filter((c) => c !== undefined);
      for (const c of targets)
        if (!clusters.has(String(c))) problems.push(`route ${String(r.name)} sends to cluster ${String(c)}, which is not defined`);
    }
  }
  return problems;
}

function checkLocalRateLimit(rl: Json): string[] {
  const problems: string[] = [];
  if (!rl.stat_prefix) problems.push('a local rate limit has an empty stat_prefix');
  if (!rl.token_bucket) return problems;
  for (const key of ['filter_enabled', 'filter_enforced']) {
    const value = ((rl[key] as Json | undefined)?.default_value ?? {}) as Json;
    if (value.numerator !== 100 || value.denominator !== 'HUNDRED') {
      problems.push(`local rate limit ${String(rl.stat_prefix)}: ${key} is not 100 % (it defaults to 0 %, which limits nothing)`);
    }
  }
  return problems;
}

/** Outlier detection whose defaults would eject nothing, or whose ejections would change nothing. */
function checkOutlierDetection(cluster: Json): string[] {
  const od = cluster.outlier_detection as Json | undefined;
  if (!od) return [];
  const problems: string[] = [];
  const hosts = findAll(cluster.load_assignment, (o) => isObject(o.endpoint)).length;
  const panic = ((cluster.common_lb_config as Json | undefined)?.healthy_panic_threshold as Json | undefined)?.value;
  if (panic !== 0) {
    problems.push(
      `cluster ${String(cluster.name)}: outlier detection without healthy_panic_threshold 0 (Envoy sends to ejected hosts once fewer than half are healthy)`,
    );
  }
  if (od.failure_percentage_threshold !== undefined) {
    if (od.enforcing_failure_percentage !== 100) {
      problems.push(`cluster ${String(cluster.name)}: enforcing_failure_percentage is not 100 (it defaults to 0, which ejects nothing)`);
    }
    if (Number(od.failure_percentage_minimum_hosts ?? 5) > hosts) {
      problems.push(
        `cluster ${String(cluster.name)}: failure_percentage_minimum_hosts is above its ${hosts} host(s), so the failure percentage ejects nothing`,
      );
    }
  }
  return problems;
}

/** Secret material must come from files, never from the config itself. */
function inlineSecrets(secret: Json): string[] {
  return findAll(secret, (o) => 'inline_string' in o || 'inline_bytes' in o || 'environment_variable' in o).length
    ? [`secret ${String(secret.name)} holds its value inline; it must reference a file`]
    : [];
}
