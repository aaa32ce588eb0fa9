// Types for electron-native-lib.mjs (a plain ES module so `npm start` runs it without a build step).

export interface NativeTarget {
  electronVersion: string;
  betterSqliteVersion: string;
  platform: string;
  arch: string;
}
export interface Command {
  cmd: string;
  args: string[];
}
export interface RunResult {
  ok: boolean;
  /** why it failed */
  detail?: string;
}
export type Runner = (
  cmd: string,
  args: string[],
  opts: { cwd: string; phase: 'prebuild' | 'source' | string },
) => RunResult;
export type PrepareResult =
  | { status: 'up-to-date'; binding: string }
  | { status: 'built'; via: 'prebuild' | 'source'; binding: string };

export const NATIVE_ROOT: string;
export const STAMP_FILE: string;
export function nativeBuildDir(projectRoot: string, electronVersion: string): string;
export function nativeBindingPath(buildDir: string): string;
export function makeStamp(target: NativeTarget): {
  electron: string;
  betterSqlite3: string;
  platform: string;
  arch: string;
};
export function isStampCurrent(text: string | null | undefined, expected: NativeTarget): boolean;
export function prebuildInstallCommand(opts: {
  projectRoot: string;
  execPath: string;
  electronVersion: string;
  arch: string;
}): Command;
export function nodeGypCommand(opts: {
  env: Record<string, string | undefined>;
  execPath: string;
  electronVersion: string;
  arch: string;
  exists?: (path: string) => boolean;
  /** resolves the `npm` link found on PATH; null when it cannot */
  realpath?: (path: string) => string | null;
}): Command;
export function buildEnv(env: Record<string, string | undefined>): Record<string, string | undefined>;
export function copyPackage(from: string, to: string): void;
export class PrepareError extends Error {}
export function prepareElectronNative(
  opts: NativeTarget & {
    projectRoot: string;
    execPath: string;
    env: Record<string, string | undefined>;
    run: Runner;
    log: (line: string) => void;
  },
): PrepareResult;
export function lastLine(text: unknown): string;
