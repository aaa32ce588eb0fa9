// Types for make-icons.mjs (a plain ES module run by `npm run icons`).
export interface ParsedSvg {
  box: number[];
  shapes: Array<{ rgb: number[]; inside(x: number, y: number): boolean }>;
}
export const LINUX_SIZES: number[];
export const ICO_SIZES: number[];
export const ICNS_TYPES: Array<[string, number]>;
export function parseSvg(text: string): ParsedSvg;
export function render(svg: ParsedSvg, size: number): Buffer;
export function encodePng(width: number, height: number, rgba: Buffer): Buffer;
export function encodeIco(images: Array<{ size: number; png: Buffer }>): Buffer;
export function encodeIcns(entries: Array<{ type: string; png: Buffer }>): Buffer;
export function iconFiles(svgText: string): Map<string, Buffer>;
