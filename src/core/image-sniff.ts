/**
 * Recognises a photo by its first bytes, never by its name or declared type: a `.jpg` that is
 * really a PDF or a script is refused. Accepts JPEG, PNG, WebP and HEIC/HEIF (what phones send).
 *
 * @example sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])) // 'image/jpeg'
 */
export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// ISO base media "ftyp" major brands that mean HEIC/HEIF still images (and their sequences).
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

export function sniffImage(bytes: Buffer): ImageMime | null {
  if (bytes.length < 12) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (bytes.toString('latin1', 4, 8) === 'ftyp' && HEIF_BRANDS.has(bytes.toString('latin1', 8, 12))) return 'image/heic';
  return null;
}
