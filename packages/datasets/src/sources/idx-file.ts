import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { LtlabError } from '@ltlab/core';

/** A parsed IDX file (LeCun's MNIST format): unsigned-byte data with its dimensions. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

/**
 * Reads an IDX file of unsigned bytes, gzip-compressed (by its magic bytes) or plain. The header is
 * 0x00 0x00 <type> <ndims>, then ndims big-endian uint32 sizes, then the data.
 */
export function readIdxFile(path: string): IdxArray {
  if (!existsSync(path)) throw new LtlabError('DATA.MISSING', `IDX file ${path} does not exist.`);
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (cause) {
      throw new LtlabError('DATA.CORRUPT', `IDX file ${path} is not a valid gzip stream.`, {
        fix: 'Download the file again: it is truncated or damaged.',
        cause,
        details: { path },
      });
    }
  }
  return parseIdx(bytes, path);
}

export function parseIdx(bytes: Uint8Array, path: string): IdxArray {
  const corrupt = (why: string) =>
    new LtlabError('DATA.CORRUPT', `IDX file ${path}: ${why}.`, {
      fix: 'Download the file again: it is truncated or not an IDX file.',
      details: { path },
    });
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw corrupt('bad magic number');
  if (bytes[2] !== UBYTE) throw corrupt(`data type 0x${(bytes[2] ?? 0).toString(16)} is not unsigned byte`);
  const ndims = bytes[3] as number;
  const headerLength = 4 + 4 * ndims;
  if (ndims < 1 || bytes.length < headerLength) throw corrupt('truncated header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndims }, (_, k) => view.getUint32(4 + 4 * k, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - headerLength !== expected) {
    throw corrupt(
      `expected ${expected} data bytes for dims [${dims.join(', ')}], found ${bytes.length - headerLength}`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}
