import * as zlib from 'node:zlib';

let table: Uint32Array | null = null;

function tableCrc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 (as PNG and ZIP use it): node:zlib's where the runtime has it (Node ≥ 20.15), else a table. */
export function crc32(data: Uint8Array): number {
  const native: unknown = Reflect.get(zlib, 'crc32');
  if (typeof native === 'function') return (native as (d: Uint8Array) => number)(data) >>> 0;
  return tableCrc32(data);
}
