import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * CRX3, the package format Chrome and Edge install from a self-hosted update URL
 * (components/crx_file/crx3.proto and crx_verifier.cc in Chromium):
 *
 *   "Cr24" | uint32le 3 | uint32le header size | CrxFileHeader (protobuf) | ZIP archive
 *
 *   CrxFileHeader { repeated AsymmetricKeyProof sha256_with_rsa = 2;
 *                   repeated AsymmetricKeyProof sha256_with_ecdsa = 3;
 *                   bytes signed_header_data = 10000; }        // a serialized SignedData
 *   AsymmetricKeyProof { bytes public_key = 1; bytes signature = 2; }   // SPKI DER, signature
 *   SignedData { bytes crx_id = 1; }                            // first 16 bytes of SHA-256(SPKI)
 *
 * Each signature is over "CRX3 SignedData\0" | uint32le len(signed_header_data) |
 * signed_header_data | the ZIP archive. The extension id is crx_id written with the letters a–p
 * for the hex digits 0–f. Written here with node:crypto (about 100 lines) rather than through a
 * package: the format is small and fixed, and the packager is what holds the hospital's key.
 */
const MAGIC = Buffer.from('Cr24', 'ascii');
const VERSION = 3;
const SIGNATURE_CONTEXT = Buffer.from('CRX3 SignedData\x00', 'binary');

const FIELD_RSA_PROOF = 2;
const FIELD_ECDSA_PROOF = 3;
const FIELD_SIGNED_HEADER_DATA = 10000;
const FIELD_PUBLIC_KEY = 1;
const FIELD_SIGNATURE = 2;
const FIELD_CRX_ID = 1;

/** The DER SubjectPublicKeyInfo of a key (private or public). */
export function publicKeyDer(key: KeyObject | string): Buffer {
  const object = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  return object.export({ type: 'spki', format: 'der' });
}

/** crx_id: the first 16 bytes of SHA-256 of the public key. */
export function crxId(spki: Buffer): Buffer {
  return createHash('sha256').update(spki).digest().subarray(0, 16);
}

/** The extension id Chrome derives from a public key: crx_id in hex, digits 0–f written a–p. */
export function extensionIdOf(spki: Buffer): string {
  return [...crxId(spki).toString('hex')].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** The manifest's `key`: the public key base64, so an unpacked copy gets the same id. */
export function manifestKeyOf(spki: Buffer): string {
  return spki.toString('base64');
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** A length-delimited protobuf field (wire type 2). */
function bytesField(field: number, value: Buffer): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(value.length), value]);
}

function uint32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function signedMessage(signedHeaderData: Buffer, zip: Buffer): Buffer {
  return Buffer.concat([SIGNATURE_CONTEXT, uint32le(signedHeaderData.length), signedHeaderData, zip]);
}

/**
 * Packs a ZIP of the extension into a CRX3 signed with the given private key (PEM, RSA or EC P-256).
 * Returns the file and the extension id Chrome will give it.
 */
export function packCrx3(zip: Buffer, privateKeyPem: string): { crx: Buffer; extensionId: string } {
  const key = createPrivateKey(privateKeyPem);
  const spki = publicKeyDer(key);
  const signedHeaderData = bytesField(FIELD_CRX_ID, crxId(spki));
  const kind = key.asymmetricKeyType;
  if (kind !== 'rsa' && kind !== 'ec') throw new Error(`CRX3 needs an RSA or ECDSA P-256 key, not ${kind}`);
  // RSA: PKCS#1 v1.5 with SHA-256; ECDSA: DER-encoded signature, as Chromium's verifier expects.
  const signature = sign('sha256', signedMessage(signedHeaderData, zip), key);
  const proof = Buffer.concat([bytesField(FIELD_PUBLIC_KEY, spki), bytesField(FIELD_SIGNATURE, signature)]);
  const header = Buffer.concat([bytesField(kind === 'rsa' ? FIELD_RSA_PROOF : FIELD_ECDSA_PROOF, proof), bytesField(FIELD_SIGNED_HEADER_DATA, signedHeaderData)]);
  const crx = Buffer.concat([MAGIC, uint32le(VERSION), uint32le(header.length), header, zip]);
  return { crx, extensionId: extensionIdOf(spki) };
}

function readVarint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < buf.length && i < at + 5; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return [value, i + 1];
  }
  throw new Error('bad varint');
}

/** Reads the length-delimited fields of one protobuf message: field number → values. */
function readFields(buf: Buffer): Map<number, Buffer[]> {
  const fields = new Map<number, Buffer[]>();
  let at = 0;
  while (at < buf.length) {
    const [tag, afterTag] = readVarint(buf, at);
    if ((tag & 7) !== 2) throw new Error(`unexpected wire type ${tag & 7}`);
    const [length, afterLength] = readVarint(buf, afterTag);
    if (afterLength + length > buf.length) throw new Error('field runs past the end');
    const field = Math.floor(tag / 8);
    fields.set(field, [...(fields.get(field) ?? []), buf.subarray(afterLength, afterLength + length)]);
    at = afterLength + length;
  }
  return fields;
}

export interface VerifiedCrx {
  extensionId: string;
  zip: Buffer;
}

/**
 * Checks a CRX3 as Chromium's verifier does for a self-hosted package: the header parses, the
 * signed crx_id names one of the proofs' keys, and every proof's signature verifies. Throws otherwise.
 */
export function verifyCrx3(crx: Buffer): VerifiedCrx {
  if (crx.length < 12 || !crx.subarray(0, 4).equals(MAGIC)) throw new Error('not a CRX file (no Cr24 magic)');
  if (crx.readUInt32LE(4) !== VERSION) throw new Error(`CRX version ${crx.readUInt32LE(4)}, expected 3`);
  const headerSize = crx.readUInt32LE(8);
  if (12 + headerSize > crx.length) throw new Error('header runs past the end');
  const header = readFields(crx.subarray(12, 12 + headerSize));
  const zip = crx.subarray(12 + headerSize);
  const signedHeaderData = header.get(FIELD_SIGNED_HEADER_DATA)?.[0];
  if (!signedHeaderData) throw new Error('no signed header data');
  const id = readFields(signedHeaderData).get(FIELD_CRX_ID)?.[0];
  if (!id || id.length !== 16) throw new Error('no crx_id');
  const message = signedMessage(signedHeaderData, zip);
  const proofs = [...(header.get(FIELD_RSA_PROOF) ?? []), ...(header.get(FIELD_ECDSA_PROOF) ?? [])].map(readFields);
  if (proofs.length === 0) throw new Error('no signature');
  let idKey: Buffer | undefined;
  for (const proof of proofs) {
    const spki = proof.get(FIELD_PUBLIC_KEY)?.[0];
    const signature = proof.get(FIELD_SIGNATURE)?.[0];
    if (!spki || !signature) throw new Error('incomplete key proof');
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    if (!verify('sha256', message, key, signature)) throw new Error('signature does not verify');
    if (crxId(spki).equals(id)) idKey = spki;
  }
  if (!idKey) throw new Error('no proof for the declared crx_id');
  return { extensionId: extensionIdOf(idKey), zip };
}
