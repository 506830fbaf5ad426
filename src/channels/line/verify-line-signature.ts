import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'valid' | 'missing' | 'duplicate' | 'invalid';

/** A SHA-256 HMAC is 32 bytes: in canonical base64, 43 characters and one `=`. */
const CANONICAL_SIGNATURE = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/**
 * Checks LINE's `x-line-signature` (base64 HMAC-SHA256 of the raw body with the channel secret).
 * Stricter than the SDK's validateSignature, whose base64 decoding stops at what it cannot read: there
 * must be exactly one signature header (Node joins repeated ones with ", "), and it must be the
 * canonical base64 of exactly 32 bytes before the bytes are compared in constant time.
 */
export function verifyLineSignature(
  body: Buffer,
  channelSecret: string,
  headerValues: readonly string[] | undefined,
): SignatureCheck {
  if (!headerValues || headerValues.length === 0) return 'missing';
  if (headerValues.length > 1) return 'duplicate';
  const given = headerValues[0] ?? '';
  if (given === '') return 'missing';
  if (!CANONICAL_SIGNATURE.test(given)) return 'invalid';
  const decoded = Buffer.from(given, 'base64');
  const expected = createHmac('sha256', channelSecret).update(body).digest();
  if (decoded.length !== expected.length) return 'invalid';
  return timingSafeEqual(decoded, expected) ? 'valid' : 'invalid';
}
