// `GET /openapi.json`: the document made once per config, on first use, and each consumer's view of it once.
import type { IR } from '../../compiler/ir/types.ts';
import type { AccessControl } from '../access.ts';
import { buildOpenApi, type OpenApi } from './document.ts';

/** The JSON text of the document as `consumer` may use it. */
export type OpenApiView = (consumer: string) => string;

export function createOpenApiView(ir: IR, access: AccessControl): OpenApiView {
  let openApi: OpenApi | undefined;
  const views = new Map<string, string>();
  return (consumer) => {
    let text = views.get(consumer);
    if (text === undefined) {
      openApi ??= buildOpenApi(ir);
      const grants = { routes: access.visibleRoutes(consumer), prompts: (name: string) => !!access.authorizePrompt(consumer, name) };
      views.set(consumer, (text = JSON.stringify(openApi.forCaller(grants))));
    }
    return text;
  };
}
