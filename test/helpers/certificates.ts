import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import forge from 'node-forge';

/** Paths of a PEM certificate and its private key. */
export interface CertificateFiles {
  cert: string;
  key: string;
}

/**
 * Certificates made for one test run: a CA, server certificates that it signed (valid for
 * 127.0.0.1 and localhost, for another host only, expired), a self-signed one, and a client
 * certificate. Nothing here leaves the temporary folder or the loopback interface.
 */
export interface TestPki {
  dir: string;
  /** PEM of the test CA's certificate, for --ca and --tls-client-ca. */
  caCert: string;
  server: CertificateFiles;
  wrongHost: CertificateFiles;
  expired: CertificateFiles;
  selfSigned: CertificateFiles;
  client: CertificateFiles;
}

interface Issued {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

interface CertificateSpec {
  commonName: string;
  issuer?: Issued;
  isCa?: boolean;
  /** Days from now; negative for the past. */
  validFromDays?: number;
  validToDays?: number;
  altNames?: { dns?: string[]; ip?: string[] };
  usage?: 'server' | 'client';
}

/** Creates the test PKI in a new temporary folder. RSA keys come from node:crypto, which is fast. */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'cscws-pki-'));
  const ca = issue({ commonName: 'cscws test CA', isCa: true });

  const write = (name: string, issued: Issued): CertificateFiles => {
    const cert = join(dir, `${name}.crt`);
    const key = join(dir, `${name}.key`);
    writeFileSync(cert, forge.pki.certificateToPem(issued.cert));
    writeFileSync(key, forge.pki.privateKeyToPem(issued.key), { mode: 0o600 });
    return { cert, key };
  };

  const caCert = join(dir, 'ca.crt');
  writeFileSync(caCert, forge.pki.certificateToPem(ca.cert));
  const loopback = { dns: ['localhost'], ip: ['127.0.0.1', '::1'] };

  return {
    dir,
    caCert,
    server: write('server', issue({ commonName: 'localhost', issuer: ca, altNames: loopback })),
    wrongHost: write('wrong-host', issue({ commonName: 'node.invalid', issuer: ca, altNames: { dns: ['node.invalid'] } })),
    expired: write('expired', issue({ commonName: 'localhost', issuer: ca, altNames: loopback, validFromDays: -30, validToDays: -1 })),
    selfSigned: write('self-signed', issue({ commonName: 'localhost', altNames: loopback })),
    client: write('client', issue({ commonName: 'cscws test client', issuer: ca, usage: 'client' })),
  };
}

function issue(spec: CertificateSpec): Issued {
  const pair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(pair.privateKey) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pair.publicKey);
  // A positive serial: the leading 01 keeps the top bit clear.
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;

  const day = 24 * 60 * 60 * 1000;
  cert.validity.notBefore = new Date(Date.now() + (spec.validFromDays ?? -1) * day);
  cert.validity.notAfter = new Date(Date.now() + (spec.validToDays ?? 30) * day);

  const subject = [{ name: 'commonName', value: spec.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer === undefined ? subject : spec.issuer.cert.subject.attributes);

  const extensions: object[] = [
    { name: 'basicConstraints', cA: spec.isCa === true, critical: true },
    spec.isCa === true
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (spec.isCa !== true) {
    extensions.push(spec.usage === 'client' ? { name: 'extKeyUsage', clientAuth: true } : { name: 'extKeyUsage', serverAuth: true });
  }
  const altNames = [
    ...(spec.altNames?.dns ?? []).map((value) => ({ type: 2, value })),
    ...(spec.altNames?.ip ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length > 0) {
    extensions.push({ name: 'subjectAltName', altNames });
  }
  cert.setExtensions(extensions);

  cert.sign(spec.issuer?.key ?? key, forge.md.sha256.create());
  return { cert, key };
}
