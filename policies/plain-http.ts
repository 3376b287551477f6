// Whether a URL goes over plain HTTP off the loopback interface: what production rules refuse for services that
// carry credentials or prompts (a sidecar on localhost may stay on HTTP).
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function plainHttpOffLoopback(url: string | undefined): boolean {
  return !!url?.startsWith('http://') && URL.canParse(url) && !LOOPBACK.has(new URL(url).hostname);
}
