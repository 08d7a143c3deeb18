import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM under the operator's master key, for secrets, personal data and photos at rest.
 * Layout: version byte (1) | 12-byte nonce | ciphertext | 16-byte tag. The version byte leaves
 * room for key rotation without guessing what an old blob is.
 */
const VERSION = 1;

export interface CryptoBox {
  seal(plain: Buffer | string): Buffer;
  open(sealed: Buffer): Buffer;
  sealText(plain: string): string;
  openText(sealed: string): string;
  /** A 32-byte key for one purpose (HKDF-SHA256 of the master key), e.g. signing photo URLs. */
  deriveKey(purpose: string): Buffer;
}

export function createCryptoBox(masterKey: Buffer): CryptoBox {
  if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes (base64 of 32 random bytes)');
  const seal = (plain: Buffer | string): Buffer => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', masterKey, nonce);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]);
  };
  const open = (sealed: Buffer): Buffer => {
    if (sealed.length < 29 || sealed[0] !== VERSION) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', masterKey, sealed.subarray(1, 13));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(13, sealed.length - 16)), decipher.final()]);
  };
  return {
    seal,
    open,
    sealText: (plain) => seal(plain).toString('base64'),
    openText: (sealed) => open(Buffer.from(sealed, 'base64')).toString('utf8'),
    // Separate keys per purpose, so a signature made for one use can never be replayed for another.
    deriveKey: (purpose) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `realid:${purpose}`, 32)),
  };
}
