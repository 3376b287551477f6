// A loaded resource document: its plain value plus a way back to source positions.
import type { Kind } from '../schema/kinds.ts';
import type * as T from '../schema/types.ts';
import type { Location } from './diagnostics.ts';

export interface KindMap {
  Gateway: T.Gateway;
  Provider: T.Provider;
  Route: T.Route;
  Prompt: T.Prompt;
  Consumer: T.Consumer;
  AccessPolicy: T.AccessPolicy;
  McpServer: T.McpServer;
  Guardrail: T.Guardrail;
  Policy: T.Policy;
  PolicyException: T.PolicyException;
  Environment: T.Environment;
}

/** A path into a document: object keys and array indexes (`['spec', 'targets', 1, 'weight']`). */
export type DocPath = readonly (string | number)[];

/** Whether a location names a property's value (the default) or its key. */
export type LocateAt = 'value' | 'key';

export interface Resource<K extends Kind = Kind> {
  kind: K;
  name: string;
  /** `kind/name`, unique across the repo. */
  id: string;
  value: KindMap[K];
  /** Relative path of the file that declares it. */
  file: string;
  /** Index of the YAML document within the file. */
  docIndex: number;
  /**
   * Source span of the node at `path`, or of its nearest existing ancestor (a missing property points
   * at its parent). After an environment overlay, patched nodes point into the Environment's file.
   */
  locate(path: DocPath, at?: LocateAt): Location;
}

export type AnyResource = { [K in Kind]: Resource<K> }[Kind];

export function resourceId(kind: string, name: string): string {
  return `${kind}/${name}`;
}
