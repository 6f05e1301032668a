import { verifyAsync } from '@noble/ed25519';
import { z } from 'zod';

/**
 * Documents the hub signs (Ed25519): rule packs and each hospital's fleet configuration. The
 * signature covers the exact payload text, prefixed by its kind, so a signed pack can never be
 * passed off as a configuration or the other way round, and nothing depends on how JSON is
 * re-serialized. Browsers verify with a public key pinned by policy (hubSigningKeys) before
 * they parse the payload.
 */
export const SIGNED_FORMAT = 'huren-signed/1';
export const SignedKind = z.enum(['rule-pack', 'fleet-config']);
export type SignedKind = z.infer<typeof SignedKind>;

export const SignedDocument = z.strictObject({
  format: z.literal(SIGNED_FORMAT),
  kind: SignedKind,
  /** First 16 characters of base64url(SHA-256(public key)): which pinned key to try. */
  keyId: z.string().min(1).max(64),
  /** The document as JSON text, exactly as signed. */
  payload: z.string().min(2).max(8 * 1024 * 1024),
  /** Ed25519 signature of signedMessage(kind, payload), base64. */
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'an Ed25519 signature is 64 bytes in base64'),
});
export type SignedDocument = z.infer<typeof SignedDocument>;

/** The bytes signed: "huren-signed/1 <kind>\n" followed by the payload, UTF-8. */
export function signedMessage(kind: SignedKind, payload: string): Uint8Array {
  return new TextEncoder().encode(`${SIGNED_FORMAT} ${kind}\n${payload}`);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A pinned signing key: 32 raw Ed25519 public-key bytes in base64 (as `npm run hub -- keys show` prints). */
export const PublicKeyText = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9+/]{43}=$/, 'an Ed25519 public key is 32 bytes in base64 (44 characters ending in =)');

export async function keyIdOf(publicKey: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', publicKey as Uint8Array<ArrayBuffer>));
  return toBase64Url(digest).slice(0, 16);
}

export type VerifyResult = { ok: true; payload: string; keyId: string } | { ok: false; reason: string };

/**
 * Checks a signed document against the pinned keys: shape, kind, a pinned key with its keyId,
 * and the signature over the payload. Returns the payload text only when all hold; the reason
 * otherwise (zh-CN, shown on the options page and reported to the hub).
 */
export async function verifySigned(input: unknown, kind: SignedKind, pinnedKeys: readonly string[]): Promise<VerifyResult> {
  const parsed = SignedDocument.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `签名文件格式错误 (${issue?.path.join('.') || '(root)'}: ${issue?.message})` };
  }
  const doc = parsed.data;
  if (doc.kind !== kind) return { ok: false, reason: `签名用途不符：应为 ${kind}，实为 ${doc.kind}` };
  const keys: { id: string; bytes: Uint8Array }[] = [];
  for (const text of pinnedKeys) {
    if (!PublicKeyText.safeParse(text).success) continue;
    const bytes = fromBase64(text.trim());
    keys.push({ id: await keyIdOf(bytes), bytes });
  }
  if (keys.length === 0) return { ok: false, reason: '未配置签名公钥 (no pinned signing key: set hubSigningKeys)' };
  const key = keys.find((k) => k.id === doc.keyId);
  if (!key) return { ok: false, reason: `签名密钥 ${doc.keyId} 不在固定的公钥中 (signed by a key that is not pinned)` };
  let valid = false;
  try {
    valid = await verifyAsync(fromBase64(doc.signature), signedMessage(kind, doc.payload), key.bytes);
  } catch {
    valid = false;
  }
  return valid ? { ok: true, payload: doc.payload, keyId: doc.keyId } : { ok: false, reason: '签名无效 (signature does not verify)' };
}
