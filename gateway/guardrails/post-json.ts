// A JSON POST to a checker service, bounded by the caller's signal (the guardrail's timeout). A non-2xx answer
// or one that is not JSON rejects: the guardrail's `onError` decides what that means.
export async function postJson(url: string, body: unknown, signal: AbortSignal, credential?: string | null): Promise<any> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (credential) headers.authorization = `Bearer ${credential}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`status ${res.status}`);
  }
  return res.json();
}
