import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { ChildIdentity } from '../domain/bed-request.js';

/** Letters that NFKD does not decompose, spelled as people type them without the special letter. */
const LETTER_FOLDS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * A name as the matcher sees it: NFKD, accents stripped, lower case, and spaces, hyphens,
 * apostrophes and other punctuation removed, so "Zoë O’Brien-Smith", "zoe obrien smith" and
 * "ZOE O'BRIEN SMITH" agree. Letters and digits of every script are kept.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => LETTER_FOLDS[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * A PNC ID in one spelling: upper case, no spaces, a two-digit year and the serial without
 * leading zeros ("2013/0012345a" and "13/12345A" agree).
 */
export function normalisePnc(pnc: string): string {
  const compact = pnc.replace(/\s+/g, '').toUpperCase();
  const m = /^(\d{2}|\d{4})\/0*(\d+)([A-Z])$/.exec(compact);
  if (!m) return compact;
  const [, year = '', serial = '', check = ''] = m;
  return `${year.slice(-2)}/${serial}${check}`;
}

export type PseudonymKind = 'pnc' | 'nd';

export interface ChildPseudonym {
  kind: PseudonymKind;
  /** Lower-case hex HMAC-SHA256. */
  pseudonym: string;
}

function hmacHex(key: Buffer, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/**
 * Every keyed pseudonym the identity yields: `pnc:<PNC>` when a PNC ID is known and
 * `nd:<given family>|<date of birth>` when the name and date of birth are. The PNC-based one comes
 * first. The identity itself is never stored in clear or used as a key.
 */
export function childPseudonyms(identity: ChildIdentity, pseudonymKey: Buffer): ChildPseudonym[] {
  const out: ChildPseudonym[] = [];
  if (identity.pncId && identity.pncId.trim()) {
    out.push({ kind: 'pnc', pseudonym: hmacHex(pseudonymKey, `pnc:${normalisePnc(identity.pncId)}`) });
  }
  if (identity.givenName && identity.familyName && identity.dateOfBirth) {
    const given = normaliseName(identity.givenName);
    const family = normaliseName(identity.familyName);
    const dob = identity.dateOfBirth.trim();
    if (given && family && dob) {
      out.push({ kind: 'nd', pseudonym: hmacHex(pseudonymKey, `nd:${given} ${family}|${dob}`) });
    }
  }
  return out;
}

/** Crockford's base32: no I, L, O or U, so a reference read over the phone is not misheard. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Buffer, length: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31] ?? '';
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length >= length) break;
  }
  return out;
}

/**
 * The opaque case reference shown on cards: `CN-` and 6 base32 characters of an HMAC of the
 * workflow ID, so it is the same on every retry and reveals nothing. `length` grows only to step
 * around the rare collision with another request's reference.
 */
export function deriveCaseRef(workflowId: string, pseudonymKey: Buffer, length = 6): string {
  const mac = createHmac('sha256', pseudonymKey).update(`caseref:${workflowId}`, 'utf8').digest();
  return `CN-${base32(mac, length)}`;
}

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * AES-256-GCM with a random 96-bit IV per value, as `v1:<iv>:<tag>:<ciphertext>` (base64).
 * `context` is bound as additional authenticated data (e.g. the table, column and workflow ID),
 * so a ciphertext copied to another row does not decrypt.
 */
export function encryptField(plaintext: string, dataKey: Buffer, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64'), tag.toString('base64'), ct.toString('base64')].join(':');
}

export function decryptField(sealed: string, dataKey: Buffer, context: string): string {
  const parts = sealed.split(':');
  const [version, ivB64, tagB64, ctB64] = parts;
  if (parts.length !== 4 || version !== VERSION || !ivB64 || !tagB64 || ctB64 === undefined) {
    throw new Error(`Encrypted field is not in the ${VERSION} format`);
  }
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(ivB64, 'base64'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tagB64, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ctB64, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(
      'Encrypted field did not authenticate: wrong CONCORDAT_DATA_KEY, or the value was altered',
    );
  }
}
