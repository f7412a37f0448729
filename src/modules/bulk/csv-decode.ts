import { isUtf8 } from 'node:buffer';
import { BulkErrors } from './bulk.errors.ts';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * The file's text: UTF-8 only, with or without a byte-order mark. Anything else is refused whole,
 * naming the first line with a byte that is not UTF-8 (and saying so when the file is UTF-16,
 * Excel's "Unicode text"), because guessing a legacy code page would turn names into mojibake.
 */
export function decodeCsv(bytes: Uint8Array): string {
  if (bytes.length === 0) throw BulkErrors.fileEmpty();
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw BulkErrors.fileNotUtf8(1, ': it is UTF-16');
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isUtf8(buffer)) {
    const offset = firstInvalidUtf8(buffer);
    throw BulkErrors.fileNotUtf8(lineAt(buffer, offset), '');
  }
  const start = UTF8_BOM.every((byte, i) => buffer[i] === byte) ? 3 : 0;
  const text = buffer.toString('utf8', start);
  if (text.includes('\u0000')) throw BulkErrors.fileNotUtf8(lineAt(buffer, buffer.indexOf(0)), ': it holds NUL characters, as UTF-16 files do');
  return text;
}

/** 1-based line of a byte offset. */
function lineAt(buffer: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < buffer.length; i++) if (buffer[i] === 0x0a) line++;
  return line;
}

/**
 * Offset of the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF). Only called once Buffer.isUtf8 said no, to name the line.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= bytes.length) return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}
