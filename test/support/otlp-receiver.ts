// An OTLP/HTTP trace receiver on 127.0.0.1, as a collector would be: it decodes each export with the official
// OpenTelemetry protos (trace_service.proto, read by protobufjs) and keeps the spans, flattened, and the raw bytes
// and headers of each export. `hang` makes it a collector that accepts connections and does not answer until it
// recovers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import protobuf from 'protobufjs';

const PROTOS = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@opentelemetry/otlp-grpc-exporter-base/package.json')),
  'build/protos',
);
const SERVICE = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';

/** A span as the receiver decoded it: ids in hex, attributes as plain values, kind and status code as the proto's numbers. */
export interface ReceivedSpan {
  name: string;
  /** 1 internal, 2 server, 3 client. */
  kind: number;
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  attributes: Record<string, unknown>;
  /** 0 unset, 1 ok, 2 error. */
  status: number;
  /** The attributes of the resource that sent it (`service.name`). */
  resource: Record<string, unknown>;
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:PORT/v1/traces` */
  url: string;
  readonly spans: ReceivedSpan[];
  /** Each export's request headers and raw body, for the checks that a credential went only where it should. */
  readonly exports: { headers: http.IncomingHttpHeaders; body: Buffer }[];
  /** Resolves once at least `count` spans arrived; rejects after `timeoutMs`. */
  waitForSpans(count: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  /** A hanging receiver answers the exports it holds, and those after. */
  recover(): void;
  close(): Promise<void>;
}

let requestType: Promise<protobuf.Type> | undefined;

function exportRequestType(): Promise<protobuf.Type> {
  requestType ??= (async () => {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => path.join(PROTOS, target);
    await root.load(SERVICE, { keepCase: false });
    return root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  })();
  return requestType;
}

export async function startOtlpReceiver(o: { hang?: boolean } = {}): Promise<OtlpReceiver> {
  const type = await exportRequestType();
  const spans: ReceivedSpan[] = [];
  const exports: OtlpReceiver['exports'] = [];
  /** While hanging, the answers held back: until then only the exporter's own timeout ends an export. */
  let held: (() => void)[] | undefined = o.hang ? [] : undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = () => {
        const body = Buffer.concat(chunks);
        exports.push({ headers: req.headers, body });
        spans.push(...decode(type, body));
        // An empty ExportTraceServiceResponse: full success.
        res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
        res.end();
      };
      if (held) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    exports,
    async waitForSpans(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (spans.length < count) {
        if (Date.now() > until) throw new Error(`the receiver got ${spans.length} spans, expected ${count}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return spans;
    },
    recover() {
      const answers = held ?? [];
      held = undefined;
      for (const answer of answers) answer();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex');

function decode(type: protobuf.Type, body: Buffer): ReceivedSpan[] {
  const message = type.toObject(type.decode(body), { longs: Number, enums: Number, arrays: true, oneofs: true }) as any;
  return message.resourceSpans.flatMap((rs: any) => {
    const resource = attributes(rs.resource?.attributes ?? []);
    return rs.scopeSpans.flatMap((ss: any) =>
      ss.spans.map(
        (s: any): ReceivedSpan => ({
          name: s.name,
          kind: s.kind ?? 0,
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          attributes: attributes(s.attributes),
          status: s.status?.code ?? 0,
          resource,
        }),
      ),
    );
  });
}

function attributes(list: { key: string; value: any }[]): Record<string, unknown> {
  return Object.fromEntries(list.map(({ key, value }) => [key, anyValue(value)]));
}

function anyValue(v: any): unknown {
  // `oneofs: true` names the member of AnyValue's oneof that is set.
  return v.value === 'arrayValue' ? (v.arrayValue.values ?? []).map(anyValue) : v[v.value];
}
