// A JSON POST to a checker service, bounded by the caller's signal (the guardrail's timeout) and in size. A
// non-2xx answer, one over the size or one that is not JSON rejects: the guardrail's `onError` decides.

/** A verdict, or texts as long as those sent: far below this unless the service misbehaves. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export async function postJson(url: string, body: unknown, signal: AbortSignal, credential?: string | null): Promise<any> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (credential) headers.authorization = `Bearer ${credential}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
  if (!res.ok || Number(res.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) {
    await res.body?.cancel();
    throw new Error(`status ${res.status}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) throw new Error('answer too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
