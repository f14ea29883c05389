/**
 * A staging trial on a laptop: with PaySG staging credentials, `npm start` serves the demo over
 * HTTPS on its own port with a certificate made for localhost (kept for the next start), shows
 * that payments go to PaySG staging, and `/healthz` says plainly when PaySG cannot be reached.
 * PaySG here is a closed port on 127.0.0.1: this test never leaves the machine.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../helpers/free-ports.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface TlsAnswer {
  status: number;
  body: string;
  certificate: X509Certificate;
}

/** GET over TLS, accepting the self-signed certificate, and returning it for inspection. */
function get(port: number, path: string): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        servername: 'localhost',
        rejectUnauthorized: false,
        agent: false,
        timeout: 15_000,
      },
      (res) => {
        const certificate = new X509Certificate((res.socket as TLSSocket).getPeerCertificate().raw);
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body, certificate }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function startDemo(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: () => string }> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 30_000;
  while (!/open https:\/\/localhost/.test(output)) {
    if (child.exitCode !== null) throw new Error(`the demo exited: ${output}`);
    if (Date.now() > deadline) throw new Error(`the demo did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output };
}

describe('a PaySG staging trial on a laptop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paysg-staging-'));
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the demo over HTTPS on its port with a certificate made for localhost, and says PaySG is unreachable', async () => {
    const [port, closed] = (await freePorts(2)) as [number, number];
    const env = {
      PORT: String(port),
      PAYSG_API_KEY: 'paysg_stag_trial_0123456789',
      PAYSG_PAYMENT_SERVICE_ID: 'payment_service_trial',
      // A closed port on this machine stands in for a PaySG that cannot be reached.
      PAYSG_API_URL: `https://127.0.0.1:${closed}`,
      PAYSG_PAYMENT_PAGE_ORIGIN: 'https://staging.pay.gov.sg',
      DATABASE_PATH: join(dir, 'checkouts.sqlite'),
    };
    const demo = await startDemo(env);
    children.push(demo.child);
    assert.match(demo.output(), /certificate made for localhost now/);
    assert.ok(existsSync(join(dir, 'tls', 'localhost-cert.pem')));

    const page = await get(port, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /Agency Services Portal/);
    assert.match(page.certificate.subject, /CN=localhost/);
    assert.match(page.certificate.subjectAltName ?? '', /DNS:localhost/);
    assert.deepEqual(JSON.parse((await get(port, '/demo/environment.json')).body), {
      paysg: 'custom',
    });

    const health = await get(port, '/paysg/healthz');
    assert.equal(health.status, 503);
    const body = JSON.parse(health.body) as { paysg: string; paysgProblem: string };
    assert.equal(body.paysg, 'unreachable');
    assert.match(body.paysgProblem, /did not answer/);

    // The next start keeps the same certificate, so the browser's exception lasts.
    demo.child.kill('SIGTERM');
    await new Promise((r) => demo.child.once('exit', r));
    const again = await startDemo(env);
    children.push(again.child);
    assert.match(again.output(), /certificate made for localhost on an earlier start/);
    assert.equal(
      (await get(port, '/')).certificate.fingerprint256,
      page.certificate.fingerprint256,
    );
    again.child.kill('SIGTERM');
    await new Promise((r) => again.child.once('exit', r));

    // A kept certificate that no longer reads as one is made again, not a crash.
    writeFileSync(join(dir, 'tls', 'localhost-cert.pem'), 'not a certificate');
    const remade = await startDemo(env);
    children.push(remade.child);
    assert.match(remade.output(), /certificate made for localhost now/);
  });

  it('stops with one line when HTTPS_CERT_FILE is not a certificate', async () => {
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'junk');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String((await freePorts(1))[0]),
        HTTPS_CERT_FILE: junk,
        HTTPS_KEY_FILE: junk,
        DATABASE_PATH: join(dir, 'junk.sqlite'),
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    assert.deepEqual(result.stderr.trim().split('\n'), [
      `paysg-checkout: configuration error: HTTPS_CERT_FILE ${junk} is not a PEM certificate`,
    ]);
  });
});
