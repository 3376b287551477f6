// One load test with autocannon. Latencies are taken from each response (float milliseconds):
// autocannon's own histogram keeps whole milliseconds, too coarse for sub-millisecond overheads.
import autocannon from 'autocannon';
import { quantileSorted } from './stats.ts';

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationS: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  mean: number;
  p50: number;
  p99: number;
  p999: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...spec.headers },
        body: spec.body,
        connections: spec.connections,
        duration: spec.durationS,
        pipelining: 1,
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(error);
        const seconds = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        resolve({
          requestsPerSecond: latencies.length / seconds,
          mean: latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length,
          p50: quantileSorted(latencies, 0.5),
          p99: quantileSorted(latencies, 0.99),
          p999: quantileSorted(latencies, 0.999),
          errors: result.errors + result.timeouts + result.non2xx,
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}
