import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type ContentEncoding = 'br' | 'gzip';

/** Types worth compressing; images are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.map']);
/** Below this, the headers outweigh the saving. */
const MIN_BYTES = 1024;

/**
 * The encoding to answer with, from Accept-Encoding: brotli when accepted (smaller than gzip
 * for JavaScript), else gzip, else none. `q=0` refuses an encoding; `*` accepts both.
 */
export function chooseEncoding(acceptEncoding: string | undefined): ContentEncoding | null {
  const weights = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (name === '') continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: ContentEncoding) => weights.get(name) ?? weights.get('*') ?? 0;
  const best = (['br', 'gzip'] as const).filter((name) => weight(name) > 0);
  best.sort((a, b) => weight(b) - weight(a));
  return best[0] ?? null;
}

export function isCompressible(extension: string, size: number): boolean {
  return COMPRESSIBLE.has(extension) && size >= MIN_BYTES;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Compressed copies of the UI's files, made on first request and kept: the built files never
 * change under a running server (a rebuild gets new names; index.html is keyed by its mtime).
 */
export class CompressedFiles {
  readonly #cache = new Map<string, Promise<Buffer>>();

  get(path: string, version: number, body: Buffer, encoding: ContentEncoding): Promise<Buffer> {
    const key = `${encoding}:${version}:${path}`;
    let compressed = this.#cache.get(key);
    if (compressed === undefined) {
      compressed =
        encoding === 'br'
          ? brotli(body, {
              params: {
                [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
                [constants.BROTLI_PARAM_QUALITY]: 9,
                [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
              },
            })
          : gzipAsync(body, { level: 9 });
      // A failed compression is retried on the next request rather than cached.
      compressed.catch(() => this.#cache.delete(key));
      this.#cache.set(key, compressed);
    }
    return compressed;
  }
}
