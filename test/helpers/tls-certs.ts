// A throwaway certificate authority and a server certificate for 127.0.0.1/localhost, made with
// node:crypto alone: keys from generateKeyPairSync, the X.509 structures DER-encoded here and
// signed with crypto.sign. Go's crypto/x509 (kubectl) and OpenSSL (Node's TLS) both accept them:
// v3 certificates with ECDSA P-256 keys, basicConstraints/keyUsage on the CA, subjectAltName and
// serverAuth on the server certificate, key identifiers on both.

import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

// ----- DER -------------------------------------------------------------------------------------

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 + n, inner);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
const bits = (b: Buffer, unused = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));

/** A non-negative INTEGER from big-endian bytes, minimally encoded. */
function uint(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = bytes.subarray(i);
  return tlv(0x02, (v[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const [a = 0, b = 0, ...rest] = parts;
  const out: number[] = [a * 40 + b];
  for (const p of rest) {
    const chunk: number[] = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime YYMMDDHHMMSSZ (valid until 2049, which is all a test needs). */
function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyId: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

function name(cn: string): Buffer {
  return seq(set(seq(oid(OID.commonName), utf8(cn))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function spkiOf(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
function keyId(spki: Buffer): Buffer {
  // SubjectPublicKeyInfo = SEQUENCE { AlgorithmIdentifier, BIT STRING }; for P-256 the BIT STRING
  // is the last 66 bytes (03 42 00 + 65-byte point).
  return createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
}

interface CertSpec {
  readonly subject: string;
  readonly issuer: string;
  readonly publicKey: KeyObject;
  readonly signingKey: KeyObject;
  readonly extensions: readonly Buffer[];
  readonly notBefore: Date;
  readonly notAfter: Date;
}

function certificate(spec: CertSpec): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const tbs = seq(
    explicit(0, uint(Buffer.from([2]))),
    uint(serial),
    algorithm,
    name(spec.issuer),
    seq(utcTime(spec.notBefore), utcTime(spec.notAfter)),
    name(spec.subject),
    spkiOf(spec.publicKey),
    explicit(3, seq(...spec.extensions)),
  );
  const signature = sign('sha256', tbs, spec.signingKey);
  return seq(tbs, algorithm, bits(signature));
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64.endsWith('\n') ? b64 : `${b64}\n`}-----END ${label}-----\n`;
}

function ipBytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

export interface TestCertificates {
  /** PEM of the CA certificate: what a kubeconfig's certificate-authority(-data) holds */
  readonly caCert: string;
  /** PEM server certificate for 127.0.0.1 and localhost, signed by the CA */
  readonly serverCert: string;
  /** PEM PKCS#8 key of the server certificate */
  readonly serverKey: string;
}

/** A fresh CA and server certificate, valid from an hour ago for a day. */
export function makeTestCertificates(now = new Date()): TestCertificates {
  const notBefore = new Date(now.getTime() - 3_600_000);
  const notAfter = new Date(now.getTime() + 86_400_000);
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caSpki = spkiOf(ca.publicKey);
  const serverSpki = spkiOf(server.publicKey);
  const caDer = certificate({
    subject: 'podres-test-ca',
    issuer: 'podres-test-ca',
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension(OID.basicConstraints, true, seq(bool(true))),
      // digitalSignature (0), keyCertSign (5), cRLSign (6)
      extension(OID.keyUsage, true, bits(Buffer.from([0x86]), 1)),
      extension(OID.subjectKeyId, false, octets(keyId(caSpki))),
    ],
  });
  const serverDer = certificate({
    subject: 'podres-test-apiserver',
    issuer: 'podres-test-ca',
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension(OID.basicConstraints, true, seq()),
      // digitalSignature (0), keyEncipherment (2)
      extension(OID.keyUsage, true, bits(Buffer.from([0xa0]), 5)),
      extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))),
      extension(OID.subjectKeyId, false, octets(keyId(serverSpki))),
      extension(OID.authorityKeyId, false, seq(tlv(0x80, keyId(caSpki)))),
      // iPAddress [7] 127.0.0.1, dNSName [2] localhost
      extension(
        OID.subjectAltName,
        false,
        seq(tlv(0x87, ipBytes('127.0.0.1')), tlv(0x82, Buffer.from('localhost', 'ascii'))),
      ),
    ],
  });
  const keyPem = server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // round trip: the key is usable by node:tls as written
  createPrivateKey(keyPem);
  return { caCert: pem('CERTIFICATE', caDer), serverCert: pem('CERTIFICATE', serverDer), serverKey: keyPem };
}
