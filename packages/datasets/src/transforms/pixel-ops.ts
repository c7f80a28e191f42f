import { clampByte, grayPlane, type Image } from '../image.js';

// PIL ImageOps / ImageEnhance equivalents on HWC uint8 images. Gray (C = 1) images are handled
// as PIL handles mode 'L': colour (saturation) and hue are identities, grayscale is a copy.

function mapBytes(image: Image, lut: Uint8Array | ((value: number, channel: number) => number)): Image {
  const out = new Uint8Array(image.data.length);
  const C = image.channels;
  for (let i = 0; i < out.length; i++) {
    const v = image.data[i] as number;
    out[i] = typeof lut === 'function' ? lut(v, i % C) : (lut[v] as number);
  }
  return { ...image, data: out };
}

export function invert(image: Image): Image {
  return mapBytes(image, (v) => 255 - v);
}

/** Keeps the `bits` most significant bits (0 bits: black, >= 8: unchanged). */
export function posterize(image: Image, bits: number): Image {
  if (bits >= 8) return image;
  const mask = bits <= 0 ? 0 : (0xff << (8 - bits)) & 0xff;
  return mapBytes(image, (v) => v & mask);
}

/** Inverts the pixels at or above `threshold`. */
export function solarize(image: Image, threshold: number): Image {
  return mapBytes(image, (v) => (v < threshold ? v : 255 - v));
}

/** Adds `amount` to pixels below `threshold` (timm's SolarizeAdd). */
export function solarizeAdd(image: Image, amount: number, threshold = 128): Image {
  return mapBytes(image, (v) => (v < threshold ? Math.min(255, v + amount) : v));
}

function channelHistograms(image: Image): Int32Array[] {
  const C = image.channels;
  const hists = Array.from({ length: C }, () => new Int32Array(256));
  for (let i = 0; i < image.data.length; i++) {
    const hist = hists[i % C] as Int32Array;
    const v = image.data[i] as number;
    hist[v] = (hist[v] as number) + 1;
  }
  return hists;
}

/** Stretches each channel so its darkest value becomes 0 and its brightest 255 (cutoff 0). */
export function autoContrast(image: Image): Image {
  const luts = channelHistograms(image).map((hist) => {
    let lo = 0;
    while (lo < 256 && hist[lo] === 0) lo++;
    let hi = 255;
    while (hi >= 0 && hist[hi] === 0) hi--;
    const lut = new Uint8Array(256);
    if (hi <= lo) {
      for (let v = 0; v < 256; v++) lut[v] = v;
      return lut;
    }
    const scale = 255 / (hi - lo);
    const offset = -lo * scale;
    for (let v = 0; v < 256; v++) lut[v] = clampByte(v * scale + offset);
    return lut;
  });
  return mapBytes(image, (v, c) => (luts[c] as Uint8Array)[v] as number);
}

/** Histogram equalisation per channel (PIL's ImageOps.equalize). */
export function equalize(image: Image): Image {
  const luts = channelHistograms(image).map((hist) => {
    const lut = new Uint8Array(256);
    const nonZero = Array.from(hist).filter((n) => n > 0);
    const total = nonZero.reduce((a, b) => a + b, 0);
    const step = Math.floor((total - (nonZero[nonZero.length - 1] ?? 0)) / 255);
    if (nonZero.length <= 1 || step === 0) {
      for (let v = 0; v < 256; v++) lut[v] = v;
      return lut;
    }
    let n = Math.floor(step / 2);
    for (let v = 0; v < 256; v++) {
      lut[v] = Math.min(255, Math.floor(n / step));
      n += hist[v] as number;
    }
    return lut;
  });
  return mapBytes(image, (v, c) => (luts[c] as Uint8Array)[v] as number);
}

/** PIL's Image.blend(degenerate, image, factor) written back to 8 bits (clamped, truncated). */
export function blend(degenerate: Uint8Array, image: Image, factor: number): Image {
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) {
    const d = degenerate[i] as number;
    out[i] = clampByte(d + factor * ((image.data[i] as number) - d));
  }
  return { ...image, data: out };
}

function broadcastGray(gray: Uint8Array, channels: number): Uint8Array {
  if (channels === 1) return gray;
  const out = new Uint8Array(gray.length * channels);
  for (let p = 0; p < gray.length; p++) for (let c = 0; c < channels; c++) out[p * channels + c] = gray[p] as number;
  return out;
}

/** ImageEnhance.Brightness: blend with black. */
export function adjustBrightness(image: Image, factor: number): Image {
  return blend(new Uint8Array(image.data.length), image, factor);
}

/** ImageEnhance.Contrast: blend with the mean gray level (rounded). */
export function adjustContrast(image: Image, factor: number): Image {
  const gray = grayPlane(image);
  let sum = 0;
  for (const v of gray) sum += v;
  const mean = Math.trunc(sum / gray.length + 0.5);
  return blend(new Uint8Array(image.data.length).fill(mean), image, factor);
}

/** ImageEnhance.Color (saturation): blend with the grayscale image; identity for gray images. */
export function adjustSaturation(image: Image, factor: number): Image {
  if (image.channels === 1) return image;
  return blend(broadcastGray(grayPlane(image), image.channels), image, factor);
}

/** ImageEnhance.Sharpness: blend with PIL's SMOOTH filter (3x3, centre 5, sum 13; borders kept). */
export function adjustSharpness(image: Image, factor: number): Image {
  const { data, width: W, height: H, channels: C } = image;
  const smooth = Uint8Array.from(data);
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++)
            acc += (dx === 0 && dy === 0 ? 5 : 1) * (data[((y + dy) * W + x + dx) * C + c] as number);
        }
        smooth[(y * W + x) * C + c] = Math.min(255, Math.round(acc / 13));
      }
    }
  }
  return blend(smooth, image, factor);
}

/** Converts to gray and back to the same channel count (torchvision's Grayscale for RGB input). */
export function toGrayscale(image: Image): Image {
  return { ...image, data: broadcastGray(grayPlane(image), image.channels) };
}

/** Rotates the hue by `shift` turns (in [-0.5, 0.5]) in HSV space; identity for gray images. */
export function adjustHue(image: Image, shift: number): Image {
  if (image.channels === 1 || shift === 0) return image;
  const { data } = image;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 3) {
    const r = (data[i] as number) / 255;
    const g = (data[i + 1] as number) / 255;
    const b = (data[i + 2] as number) / 255;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    const delta = max - min;
    let h = 0;
    if (delta > 0) {
      if (max === r) h = ((g - b) / delta) % 6;
      else if (max === g) h = (b - r) / delta + 2;
      else h = (r - g) / delta + 4;
      h /= 6;
    }
    h = (((h + shift) % 1) + 1) % 1;
    const s = max === 0 ? 0 : delta / max;
    const v = max;
    const sector = Math.floor(h * 6);
    const f = h * 6 - sector;
    const p = v * (1 - s);
    const q = v * (1 - s * f);
    const t = v * (1 - s * (1 - f));
    const [rr, gg, bb] = [
      [v, t, p],
      [q, v, p],
      [p, v, t],
      [p, q, v],
      [t, p, v],
      [v, p, q],
    ][sector % 6] as [number, number, number];
    out[i] = Math.round(rr * 255);
    out[i + 1] = Math.round(gg * 255);
    out[i + 2] = Math.round(bb * 255);
  }
  return { ...image, data: out };
}

/** Separable Gaussian blur with standard deviation `sigma` (kernel radius ceil(3 sigma), edges clamped). */
export function gaussianBlur(image: Image, sigma: number): Image {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float64Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) {
    const w = Math.exp(-(k * k) / (2 * sigma * sigma));
    kernel[k + radius] = w;
    total += w;
  }
  for (let k = 0; k < kernel.length; k++) kernel[k] = (kernel[k] as number) / total;
  const { data, width: W, height: H, channels: C } = image;
  const tmp = new Float64Array(data.length);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) {
          const sx = Math.min(W - 1, Math.max(0, x + k));
          acc += (kernel[k + radius] as number) * (data[(y * W + sx) * C + c] as number);
        }
        tmp[(y * W + x) * C + c] = acc;
      }
    }
  }
  const out = new Uint8Array(data.length);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) {
          const sy = Math.min(H - 1, Math.max(0, y + k));
          acc += (kernel[k + radius] as number) * (tmp[(sy * W + x) * C + c] as number);
        }
        out[(y * W + x) * C + c] = Math.min(255, Math.round(acc));
      }
    }
  }
  return { ...image, data: out };
}
