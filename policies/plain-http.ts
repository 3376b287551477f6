// Whether a URL sends its traffic in clear beyond the host: `http://` to anything but the loopback interface
// (a sidecar on localhost may stay on HTTP).
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function plainHttpOffHost(url: string | undefined): boolean {
  return !!url?.startsWith('http://') && URL.canParse(url) && !LOOPBACK.has(new URL(url).hostname);
}
