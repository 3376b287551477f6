export declare const BUNDLE_DIR: string;
export declare const BUNDLE_ENTRY: string;
export declare const INPUTS_FILE: string;
export declare const GATEWAY_BUNDLE: string;
export declare const GATEWAY_INPUTS_FILE: string;
export declare function contentHash(text: string | Uint8Array): string;
export declare function isFresh(root: string, inputsFile: string): boolean;
export declare function freshBundle(root: string): string | undefined;
