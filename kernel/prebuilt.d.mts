export declare const BUNDLE_DIR: string;
export declare const BUNDLE_ENTRY: string;
export declare const INPUTS_FILE: string;
export declare const GATEWAY_BUNDLE: string;
export declare const GATEWAY_INPUTS_FILE: string;
export declare const VALIDATORS_MODULE: string;
export declare const VALIDATORS_INPUTS_FILE: string;
export declare function contentHash(text: string | Uint8Array): string;
/** An input's content hash, and its size and times (`size:mtimeNs:ctimeNs`) unless they were too recent to vouch for it. */
export interface InputRecord {
  sha1: string;
  stat?: string;
}
export declare function inputRecord(path: string, hashedAt: number): InputRecord;
export declare function isFresh(root: string, inputsFile: string): boolean;
export declare function freshBundle(root: string): string | undefined;
