/**
 * Draws the Teams app icons (a house: local authority accommodation) and writes them beside the
 * manifest: `color.png` 192×192 on the brand colour, `outline.png` 32×32 white on transparent, as
 * Teams requires. Run `tsx bots/teams/manifest/icons.ts` after changing the drawing; a test checks
 * the committed files match it.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.js';

export const BRAND_COLOUR = '#0B5C7A';
const SAMPLES = 4;

type Point = readonly [number, number];

/** The glyph, in unit coordinates: a roof, a body, and a door cut out of it. */
const ROOF: Point[] = [
  [0.5, 0.1],
  [0.04, 0.5],
  [0.96, 0.5],
];
const BODY = { x0: 0.17, y0: 0.46, x1: 0.83, y1: 0.9 };
const DOOR = { x0: 0.41, y0: 0.6, x1: 0.59, y1: 0.9 };

function inTriangle(p: Point, [a, b, c]: Point[]): boolean {
  if (!a || !b || !c) return false;
  const sign = (p1: Point, p2: Point, p3: Point) =>
    (p1[0] - p3[0]) * (p2[1] - p3[1]) - (p2[0] - p3[0]) * (p1[1] - p3[1]);
  const d1 = sign(p, a, b);
  const d2 = sign(p, b, c);
  const d3 = sign(p, c, a);
  const neg = d1 < 0 || d2 < 0 || d3 < 0;
  const pos = d1 > 0 || d2 > 0 || d3 > 0;
  return !(neg && pos);
}

function inRect(p: Point, r: { x0: number; y0: number; x1: number; y1: number }): boolean {
  return p[0] >= r.x0 && p[0] <= r.x1 && p[1] >= r.y0 && p[1] <= r.y1;
}

function inGlyph(p: Point): boolean {
  if (inRect(p, DOOR)) return false;
  return inTriangle(p, ROOF) || inRect(p, BODY);
}

/** Fraction of the pixel covered by the glyph, which is drawn inside [pad, size - pad]. */
function coverage(x: number, y: number, size: number, pad: number): number {
  let hits = 0;
  const inner = size - 2 * pad;
  for (let i = 0; i < SAMPLES; i++) {
    for (let j = 0; j < SAMPLES; j++) {
      const u = (x + (i + 0.5) / SAMPLES - pad) / inner;
      const v = (y + (j + 0.5) / SAMPLES - pad) / inner;
      if (u >= 0 && u <= 1 && v >= 0 && v <= 1 && inGlyph([u, v])) hits++;
    }
  }
  return hits / (SAMPLES * SAMPLES);
}

function hex(colour: string): [number, number, number] {
  const n = Number.parseInt(colour.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** 192×192, full-bleed brand colour, white glyph in the middle 120×120. */
export function colorIcon(): Buffer {
  const size = 192;
  const [r, g, b] = hex(BRAND_COLOUR);
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(x, y, size, 36);
      const i = (y * size + x) * 4;
      rgba[i] = Math.round(r + (255 - r) * c);
      rgba[i + 1] = Math.round(g + (255 - g) * c);
      rgba[i + 2] = Math.round(b + (255 - b) * c);
      rgba[i + 3] = 255;
    }
  }
  return encodePng(size, size, rgba);
}

/** 32×32, white glyph on transparent (white pixels, alpha for the edges). */
export function outlineIcon(): Buffer {
  const size = 32;
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(x, y, size, 2);
      const i = (y * size + x) * 4;
      rgba[i] = 255;
      rgba[i + 1] = 255;
      rgba[i + 2] = 255;
      rgba[i + 3] = Math.round(255 * c);
    }
  }
  return encodePng(size, size, rgba);
}

export const MANIFEST_DIR = fileURLToPath(new URL('.', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL('./color.png', import.meta.url), colorIcon());
  writeFileSync(new URL('./outline.png', import.meta.url), outlineIcon());
  console.log(`Wrote color.png (192×192) and outline.png (32×32) in ${MANIFEST_DIR}`);
}
