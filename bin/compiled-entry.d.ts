// Types of compiled-entry.js (plain JavaScript: it runs before any TypeScript loader), for the tests.

/** The folders the service runs from, compiled into the build. */
export declare const SOURCE_FOLDERS: readonly string[];
/** The file written last into a complete build. */
export declare const MARKER: string;
/** The key of the current sources and the files of the build: `.ts` entry points and files copied as they are. */
export declare function sourceKey(root?: string): { key: string; entryPoints: string[]; assets: string[] };
/** The compiled CLI module, built first if needed; undefined when the sources should run through tsx. */
export declare function compiledCli(options?: { root?: string; warn?: (line: string) => void }): Promise<{ main(argv: string[]): Promise<number> } | undefined>;
/** Formats stacks with the frames of modules under `dir` pointed at their TypeScript sources. */
export declare function mapStackTraces(dir: string): void;
