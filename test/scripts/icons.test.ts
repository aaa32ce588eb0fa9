// The icons in resources/ are what scripts/make-icons.mjs makes of resources/icon.svg: each file is decoded here
// (PNG chunks and CRCs, the ICO directory, the ICNS elements) and its pixels compared with a fresh rendering, so an
// edited SVG without regenerated icons, or a broken encoder, fails.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, ICO_SIZES, LINUX_SIZES, parseSvg, render } from '../../scripts/make-icons.mjs';

const RESOURCES = resolve(import.meta.dirname, '../../resources');
const svg = parseSvg(readFileSync(join(RESOURCES, 'icon.svg'), 'utf8'));
const rendered = new Map<number, Buffer>();
const pixelsAt = (size: number) => {
  if (!rendered.has(size)) rendered.set(size, render(svg, size));
  return rendered.get(size) as Buffer;
};

/** Decodes an 8-bit RGBA PNG written with filter 0, checking the signature and every chunk's CRC. */
function decodePng(png: Buffer): { width: number; height: number; rgba: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let pos = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (;;) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    expect(png.readUInt32BE(pos + 8 + len), `${type} CRC`).toBe(crc32(png.subarray(pos + 4, pos + 8 + len)));
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
    if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    expect(raw[row]).toBe(0);
    raw.copy(rgba, y * width * 4, row + 1, row + 1 + width * 4);
  }
  return { width, height, rgba };
}

function expectIcon(png: Buffer, size: number): void {
  const { width, height, rgba } = decodePng(png);
  expect([width, height]).toEqual([size, size]);
  expect(rgba.equals(pixelsAt(size)), `pixels of the ${size} px icon`).toBe(true);
}

describe('resources/ icons', () => {
  it('has every Linux size, and icon.png at 1024 px', () => {
    for (const size of LINUX_SIZES) expectIcon(readFileSync(join(RESOURCES, 'icons', `${size}x${size}.png`)), size);
    expectIcon(readFileSync(join(RESOURCES, 'icon.png')), 1024);
  });

  it('icon.ico: a directory of PNG images, 16 to 256 px', () => {
    const ico = readFileSync(join(RESOURCES, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, ICO_SIZES.length]);
    ICO_SIZES.forEach((size, i) => {
      const e = 6 + 16 * i;
      expect(ico[e] === 0 ? 256 : ico[e]).toBe(size);
      expect(ico.readUInt16LE(e + 6)).toBe(32);
      const len = ico.readUInt32LE(e + 8);
      const offset = ico.readUInt32LE(e + 12);
      expectIcon(ico.subarray(offset, offset + len), size);
    });
  });

  it('icon.icns: the PNG elements macOS uses, 16 to 1024 px, lengths adding up', () => {
    const icns = readFileSync(join(RESOURCES, 'icon.icns'));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    let pos = 8;
    const seen: Array<[string, number]> = [];
    while (pos < icns.length) {
      const type = icns.toString('latin1', pos, pos + 4);
      const len = icns.readUInt32BE(pos + 4);
      const size = ICNS_TYPES.find(([t]) => t === type)?.[1] ?? 0;
      expectIcon(icns.subarray(pos + 8, pos + len), size);
      seen.push([type, size]);
      pos += len;
    }
    expect(pos).toBe(icns.length);
    expect(seen).toEqual(ICNS_TYPES);
  });

  it('the rasterizer draws the SVG: opaque inside the rounded square, transparent in its corners', () => {
    const px = pixelsAt(64);
    const alpha = (x: number, y: number) => px[(y * 64 + x) * 4 + 3];
    expect(alpha(32, 32)).toBe(255);
    expect(alpha(0, 0)).toBe(0);
    expect(alpha(5, 5)).toBe(0); // outside the rx=200 corner of the 1024 box
    expect(() =>
      parseSvg('<svg viewBox="0 0 10 10"><line x1="0" y1="0" x2="1" y2="1" stroke="#ffffff"/></svg>'),
    ).toThrow(/stroke-linecap/);
  });
});
