import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

// Draws the Teams app icons (a padlock) and writes them as PNG files next to this script:
//   color.png    192x192, full colour: white padlock on the accent colour
//   outline.png  32x32, transparent background, white outline only (Teams' rule for that icon)
// Run `npx tsx adapters/teams/app-package/icons.ts` after changing the drawing; the PNGs are
// committed so packaging needs nothing but node. Shapes are distance functions sampled 4x4 per
// pixel, which gives anti-aliased edges without a graphics library.

export const ACCENT = { r: 0x0b, g: 0x53, b: 0x94 };

type Rgba = [number, number, number, number];

/** Encodes 8-bit RGBA pixels (row-major, 4 bytes each) as a PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, no filter method, no interlace
  // Each scanline starts with its filter type (0 = none).
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Distance from p to a rounded rectangle (centre c, half-size h, radius r); <= 0 inside. */
function roundedRect(px: number, py: number, cx: number, cy: number, hx: number, hy: number, r: number): number {
  const qx = Math.abs(px - cx) - (hx - r);
  const qy = Math.abs(py - cy) - (hy - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Distance to the shackle's centre line: an upper half circle plus two legs down to the body. */
function shackle(px: number, py: number, cx: number, cy: number, radius: number, legEnd: number): number {
  if (py <= cy) return Math.abs(Math.hypot(px - cx, py - cy) - radius);
  const leg = Math.min(Math.abs(px - (cx - radius)), Math.abs(px - (cx + radius)));
  return py <= legEnd ? leg : Math.hypot(leg, py - legEnd);
}

/** Paints `size` x `size` pixels; `shade` maps unit coordinates to a colour (or undefined = background). */
function paint(size: number, background: Rgba, shade: (x: number, y: number) => Rgba | undefined): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = shade((x + (sx + 0.5) / n) / size, (y + (sy + 0.5) / n) / size) ?? background;
          // Premultiplied, so transparent samples do not darken edges.
          acc[0]! += c[0] * c[3];
          acc[1]! += c[1] * c[3];
          acc[2]! += c[2] * c[3];
          acc[3]! += c[3];
        }
      }
      const alpha = acc[3]! / (n * n);
      const i = (y * size + x) * 4;
      out[i] = alpha > 0 ? Math.round(acc[0]! / acc[3]!) : 0;
      out[i + 1] = alpha > 0 ? Math.round(acc[1]! / acc[3]!) : 0;
      out[i + 2] = alpha > 0 ? Math.round(acc[2]! / acc[3]!) : 0;
      out[i + 3] = Math.round(alpha);
    }
  }
  return out;
}

const WHITE: Rgba = [255, 255, 255, 255];

export function colorIcon(): Buffer {
  const accent: Rgba = [ACCENT.r, ACCENT.g, ACCENT.b, 255];
  const pixels = paint(192, accent, (x, y) => {
    const keyhole = Math.hypot(x - 0.5, y - 0.6) <= 0.045 || roundedRect(x, y, 0.5, 0.68, 0.018, 0.06, 0.012) <= 0;
    if (roundedRect(x, y, 0.5, 0.64, 0.25, 0.19, 0.04) <= 0) return keyhole ? accent : WHITE;
    return shackle(x, y, 0.5, 0.38, 0.155, 0.46) <= 0.04 ? WHITE : undefined;
  });
  return encodePng(192, 192, pixels);
}

export function outlineIcon(): Buffer {
  const clear: Rgba = [255, 255, 255, 0];
  const pixels = paint(32, clear, (x, y) => {
    const body = Math.abs(roundedRect(x, y, 0.5, 0.66, 0.3, 0.22, 0.06)) <= 0.035;
    const hole = Math.hypot(x - 0.5, y - 0.64) <= 0.06;
    const bar = shackle(x, y, 0.5, 0.36, 0.17, 0.44) <= 0.035;
    return body || hole || bar ? WHITE : undefined;
  });
  return encodePng(32, 32, pixels);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('./color.png', import.meta.url), colorIcon());
  writeFileSync(new URL('./outline.png', import.meta.url), outlineIcon());
  process.stdout.write('wrote adapters/teams/app-package/color.png and outline.png\n');
}
