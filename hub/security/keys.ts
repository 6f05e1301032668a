import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  hkdfSync,
  randomFillSync,
  sign,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signedMessage, SIGNED_FORMAT, type SignedDocument, type SignedKind } from '../../shared/fleet/signed.ts';
import type { PatientIdentifier } from '../../shared/domain/encounter.ts';

/**
 * The hub's secrets, kept in files outside the database (so a database dump or backup alone
 * reveals no patient identifier and cannot sign a pack):
 * - `hub-secret.key`: 32 random bytes (base64). Per hospital, HKDF derives two keys from it: one
 *   for the patient pseudonym (HMAC-SHA-256) and one that seals the identifier (AES-256-GCM).
 *   `HUB_SECRET_KEY` (base64) overrides the file, for secret managers.
 * - `signing-ed25519.pem`: the Ed25519 private key that signs rule packs and configurations.
 * Both are created on first start, readable by the hub's user only (0600, folder 0700).
 */
export interface HubKeys {
  /** Keyed per-hospital pseudonym of a patient identifier: equal for the same patient in one hospital, unlinkable across hospitals. */
  pseudonym(hospitalId: string, patient: PatientIdentifier): string;
  /**
   * Both at once, remembered for the patients seen lately (a patient's decisions and events come in
   * runs): the sealed copy is then reused, which reveals no more than the pseudonym already does.
   */
  protect(hospitalId: string, patient: PatientIdentifier): { ref: string; sealed: Buffer };
  /** The identifier encrypted for this hospital (iv ‖ ciphertext ‖ tag); the hospital id is bound as AAD. */
  seal(hospitalId: string, patient: PatientIdentifier): Buffer;
  unseal(hospitalId: string, sealed: Buffer): PatientIdentifier;
  sign(kind: SignedKind, payload: string): SignedDocument;
  /** Raw Ed25519 public key, base64: the value to pin in policy (hubSigningKeys). */
  readonly publicKey: string;
  readonly keyId: string;
}

export function keysDir(dataDir: string): string {
  return process.env.HUB_KEYS_DIR ?? join(dataDir, 'keys');
}

function readOrCreate(file: string, create: () => string): string {
  if (!existsSync(file)) writeFileSync(file, create(), { mode: 0o600, flag: 'wx' });
  return readFileSync(file, 'utf8');
}

export function loadKeys(dir: string): HubKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const secretText = process.env.HUB_SECRET_KEY || readOrCreate(join(dir, 'hub-secret.key'), () => randomBytes(32).toString('base64') + '\n');
  const master = Buffer.from(secretText.trim(), 'base64');
  if (master.length < 32) throw new Error('hub secret key must be at least 32 bytes (base64)');
  const pem = readOrCreate(join(dir, 'signing-ed25519.pem'), () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return keysFrom(master, createPrivateKey(pem));
}

/** Keys from given material (tests pass fixed bytes). */
/** Patients remembered by `protect` (a few MB at most). */
const PROTECT_MEMO = 20_000;

export function keysFrom(master: Buffer, signingKey: KeyObject): HubKeys {
  const derived = new Map<string, { mac: KeyObject; seal: KeyObject }>();
  const keysOf = (hospitalId: string) => {
    let k = derived.get(hospitalId);
    if (!k) {
      const derive = (use: string) => createSecretKey(Buffer.from(hkdfSync('sha256', master, 'huren-hub/v1', `${use}:${hospitalId}`, 32)));
      k = { mac: derive('pseudonym'), seal: derive('seal') };
      derived.set(hospitalId, k);
    }
    return k;
  };
  // IVs drawn from a pooled buffer: one getrandom call per 256 seals instead of one per seal.
  const ivPool = Buffer.alloc(12 * 256);
  let ivAt = ivPool.length;
  const nextIv = () => {
    if (ivAt === ivPool.length) {
      randomFillSync(ivPool);
      ivAt = 0;
    }
    const iv = Buffer.from(ivPool.subarray(ivAt, ivAt + 12));
    ivAt += 12;
    return iv;
  };
  const memo = new Map<string, { ref: string; sealed: Buffer }>();
  const canonical = (p: PatientIdentifier) => `${p.system ?? ''}|${p.value.trim()}`;
  const rawPublic = Buffer.from(createPublicKey(signingKey).export({ format: 'jwk' }).x!, 'base64url');
  const keyId = createHash('sha256').update(rawPublic).digest('base64url').slice(0, 16);
  const keys: HubKeys = {
    pseudonym: (hospitalId, patient) => createHmac('sha256', keysOf(hospitalId).mac).update(canonical(patient)).digest('base64url'),
    protect(hospitalId, patient) {
      const key = `${hospitalId}\u0000${canonical(patient)}`;
      let found = memo.get(key);
      if (!found) {
        found = { ref: keys.pseudonym(hospitalId, patient), sealed: keys.seal(hospitalId, patient) };
        if (memo.size >= PROTECT_MEMO) memo.delete(memo.keys().next().value!);
        memo.set(key, found);
      }
      return found;
    },
    seal(hospitalId, patient) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', keysOf(hospitalId).seal, iv);
      cipher.setAAD(Buffer.from(hospitalId));
      const body = Buffer.concat([cipher.update(JSON.stringify({ system: patient.system, value: patient.value }), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]);
    },
    unseal(hospitalId, sealed) {
      const decipher = createDecipheriv('aes-256-gcm', keysOf(hospitalId).seal, sealed.subarray(0, 12));
      decipher.setAAD(Buffer.from(hospitalId));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const text = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as PatientIdentifier;
    },
    sign: (kind, payload) => ({
      format: SIGNED_FORMAT,
      kind,
      keyId,
      payload,
      signature: sign(null, signedMessage(kind, payload), signingKey).toString('base64'),
    }),
    publicKey: rawPublic.toString('base64'),
    keyId,
  };
  return keys;
}
