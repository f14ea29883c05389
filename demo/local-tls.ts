/**
 * HTTPS for a PaySG staging trial on a laptop: PaySG returns payers only to https pages, so the
 * demo serves itself over HTTPS on its own port. It uses the certificate the user names
 * (`HTTPS_CERT_FILE` and `HTTPS_KEY_FILE`, e.g. made by mkcert and trusted by the browser) or
 * makes one for `localhost`, kept beside the database (`data/tls/`) so the browser's exception
 * lasts from one start to the next.
 * @module
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generate } from 'selfsigned';
import type { Config } from '../server/config.js';
import { tlsFilesOrExit } from '../server/node-runtime.js';
import { isLoopbackHost } from '../server/paysg/schemas.js';

export interface LocalTls {
  cert: string;
  key: string;
  /** `given`: the user's files; `made`: made now; `kept`: made on an earlier start. */
  source: 'given' | 'made' | 'kept';
  certFile: string;
}

/** A certificate made here is renewed this long before it expires. */
const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;
const VALID_FOR_MS = 90 * 24 * 60 * 60 * 1000;

/** When a kept certificate expires; a file that no longer reads as one is made again. */
function validTo(cert: string, key: string): string {
  try {
    createPrivateKey(key);
    return new X509Certificate(cert).validTo;
  } catch {
    return new Date(0).toISOString();
  }
}

/** The certificate to serve with, or `undefined` when the demo is served over plain http. */
export async function localTls(config: Config): Promise<LocalTls | undefined> {
  if (config.tls)
    return { ...tlsFilesOrExit(config.tls), source: 'given', certFile: config.tls.certFile };
  const url = new URL(config.publicUrl);
  if (url.protocol !== 'https:' || !isLoopbackHost(url.hostname)) return undefined;

  const folder = join(
    dirname(config.store.kind === 'sqlite' ? config.store.path : 'data/paysg-checkout.sqlite'),
    'tls',
  );
  const certFile = join(folder, 'localhost-cert.pem');
  const keyFile = join(folder, 'localhost-key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    const key = readFileSync(keyFile, 'utf8');
    if (Date.parse(validTo(cert, key)) - Date.now() > RENEW_BEFORE_MS)
      return { cert, key, source: 'kept', certFile };
  }
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + VALID_FOR_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  mkdirSync(folder, { recursive: true });
  writeFileSync(certFile, pems.cert);
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  return { cert: pems.cert, key: pems.private, source: 'made', certFile };
}
