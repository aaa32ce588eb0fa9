// `node scripts/make-icons.mjs`: the app icons from resources/icon.svg, with nothing downloaded. The SVG may use
// <rect> (with rx), <circle> and <line> (round caps), filled or stroked with #rrggbb colours; that is all the icon
// needs, and it keeps the rasterizer below small. Writes the PNG sizes Linux wants (resources/icons/NxN.png), a
// 1024 px resources/icon.png, resources/icon.ico (Windows: PNG entries) and resources/icon.icns (macOS).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS element types holding PNG data, and their pixel size */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
];

// ---- SVG subset -------------------------------------------------------------------------------------------

const attrs = (tag) => Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));

function colour(value) {
  if (!value || value === 'none') return null;
  const m = /^#([0-9a-f]{6})$/i.exec(value);
  if (!m) throw new Error(`make-icons: colour ${value} is not #rrggbb`);
  const n = Number.parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The shapes of the SVG, in paint order, each as a signed distance function in viewBox units. */
export function parseSvg(text) {
  const svg = /<svg\b[^>]*>/.exec(text);
  const box = attrs(svg?.[0] ?? '')
    .viewBox?.split(/\s+/)
    .map(Number);
  if (box?.length !== 4) throw new Error('make-icons: the SVG needs a viewBox');
  const shapes = [];
  for (const m of text.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<(rect|circle|line)\b[^>]*>/g)) {
    const a = attrs(m[0]);
    const n = (k) => Number(a[k] ?? 0);
    const fill = colour(a.fill ?? (m[1] === 'line' ? 'none' : '#000000'));
    const stroke = colour(a.stroke);
    const half = n('stroke-width') / 2;
    let sdf;
    if (m[1] === 'rect') {
      const [x, y, w, h, r] = [n('x'), n('y'), n('width'), n('height'), n('rx')];
      const cx = x + w / 2;
      const cy = y + h / 2;
      sdf = (px, py) => {
        const qx = Math.abs(px - cx) - w / 2 + r;
        const qy = Math.abs(py - cy) - h / 2 + r;
        return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
      };
    } else if (m[1] === 'circle') {
      const [cx, cy, r] = [n('cx'), n('cy'), n('r')];
      sdf = (px, py) => Math.hypot(px - cx, py - cy) - r;
    } else {
      if (a['stroke-linecap'] !== 'round') throw new Error('make-icons: lines need stroke-linecap="round"');
      const [x1, y1, x2, y2] = [n('x1'), n('y1'), n('x2'), n('y2')];
      const dx = x2 - x1;
      const dy = y2 - y1;
      const len2 = dx * dx + dy * dy || 1;
      // a segment: its fill is empty, its stroke is the round-capped band around it
      sdf = (px, py) => {
        const t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len2));
        return Math.hypot(px - x1 - t * dx, py - y1 - t * dy);
      };
    }
    if (fill && m[1] !== 'line') shapes.push({ rgb: fill, inside: (x, y) => sdf(x, y) <= 0 });
    if (stroke && half > 0) shapes.push({ rgb: stroke, inside: (x, y) => Math.abs(sdf(x, y)) <= half });
  }
  return { box, shapes };
}

/** RGBA pixels of the SVG at `size`×`size`, anti-aliased by supersampling. */
export function render(svg, size) {
  const [bx, by, bw, bh] = svg.box;
  const ss = size >= 256 ? 2 : 4;
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = bx + ((px + (sx + 0.5) / ss) / size) * bw;
          const y = by + ((py + (sy + 0.5) / ss) / size) * bh;
          // the topmost shape covering this sample wins (all shapes are opaque)
          for (let i = svg.shapes.length - 1; i >= 0; i--) {
            const s = svg.shapes[i];
            if (s.inside(x, y)) {
              r += s.rgb[0];
              g += s.rgb[1];
              b += s.rgb[2];
              a += 1;
              break;
            }
          }
        }
      }
      const o = (py * size + px) * 4;
      // straight (not premultiplied) alpha, as PNG stores it
      out[o] = a ? Math.round(r / a) : 0;
      out[o + 1] = a ? Math.round(g / a) : 0;
      out[o + 2] = a ? Math.round(b / a) : 0;
      out[o + 3] = Math.round((a / (ss * ss)) * 255);
    }
  }
  return out;
}

// ---- encoders ---------------------------------------------------------------------------------------------

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG (every scanline with filter 0). */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A Windows .ico whose images are PNGs (supported since Windows Vista). */
export function encodeIco(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size; // 0 means 256
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

/** A macOS .icns: `icns` + total length, then one element (type, length, PNG) per entry. */
export function encodeIcns(entries) {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

/** Every icon file, keyed by its path under resources/. */
export function iconFiles(svgText) {
  const svg = parseSvg(svgText);
  const sizes = [...new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])];
  const png = new Map(sizes.map((s) => [s, encodePng(s, s, render(svg, s))]));
  const files = new Map();
  for (const s of LINUX_SIZES) files.set(`icons/${s}x${s}.png`, png.get(s));
  files.set('icon.png', png.get(1024));
  files.set('icon.ico', encodeIco(ICO_SIZES.map((s) => ({ size: s, png: png.get(s) }))));
  files.set('icon.icns', encodeIcns(ICNS_TYPES.map(([type, s]) => ({ type, png: png.get(s) }))));
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const resources = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources');
  for (const [path, data] of iconFiles(readFileSync(join(resources, 'icon.svg'), 'utf8'))) {
    mkdirSync(dirname(join(resources, path)), { recursive: true });
    writeFileSync(join(resources, path), data);
    console.log(`make-icons: resources/${path} (${data.length} bytes)`);
  }
}
