import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffImage } from './image-sniff.js';

const pad = (head: number[] | Buffer) => Buffer.concat([Buffer.from(head), Buffer.alloc(32, 1)]);

describe('sniffImage', () => {
  it('recognises JPEG, PNG, WebP and HEIC by their first bytes', () => {
    expect(sniffImage(pad([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImage(pad([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(sniffImage(pad(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1')))).toBe('image/webp');
    expect(sniffImage(pad(Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00', 'latin1')))).toBe('image/heic');
    expect(sniffImage(pad(Buffer.from('\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00', 'latin1')))).toBe('image/heic');
  });

  it('refuses what only pretends to be an image', () => {
    expect(sniffImage(pad(Buffer.from('%PDF-1.7\n', 'latin1')))).toBeNull();
    expect(sniffImage(pad(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">', 'latin1')))).toBeNull();
    expect(sniffImage(pad(Buffer.from('GIF89a', 'latin1')))).toBeNull();
    expect(sniffImage(pad(Buffer.from('\x00\x00\x00\x18ftypisom\x00\x00\x00\x00', 'latin1')))).toBeNull(); // an MP4
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff]))).toBeNull(); // too short to be a photo
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const result = sniffImage(Buffer.from(bytes));
      expect([null, 'image/jpeg', 'image/png', 'image/webp', 'image/heic']).toContain(result);
    }));
  });
});
