/**
 * Certificates for TLS tests, made with the openssl CLI: a private CA, and leaves for 127.0.0.1 that are valid,
 * expired, for another host name, or self-signed. Everything lives in one temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A host name that is not loopback by its spelling (so the action speaks https to it), for /etc/hosts. */
export const REGISTRY_NAME = 'registry.stand-in.test';

export interface KeyPair {
  key: string;
  cert: string;
}

export interface Certificates {
  dir: string;
  /** The CA's certificate file (PEM), as NODE_EXTRA_CA_CERTS would name it. */
  caFile: string;
  valid: KeyPair;
  expired: KeyPair;
  otherHost: KeyPair;
  /** For the name localhost only (not for 127.0.0.1). */
  localhostName: KeyPair;
  /** For registry.stand-in.test (REGISTRY_NAME), which a test maps to 127.0.0.1 in /etc/hosts. */
  registryName: KeyPair;
  selfSigned: KeyPair;
}

/** Runs openssl in `dir` with `args`, a space-separated list (no argument contains a space). */
const openssl = (dir: string, args: string): void => {
  execFileSync('openssl', args.split(' '), { cwd: dir, stdio: 'pipe' });
};

/** A self-signed certificate for `subject`, with one extension. */
const selfSigned = (dir: string, name: string, subject: string, extension: string): void =>
  openssl(
    dir,
    `req -x509 -newkey rsa:2048 -nodes -keyout ${name}.key -out ${name}.pem -subj ${subject} -days 2 -addext ${extension}`,
  );

const CA_CONFIG = `[ca]
default_ca = d
[d]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = p
unique_subject = no
[p]
commonName = supplied
[ip]
subjectAltName = IP:127.0.0.1
[other]
subjectAltName = DNS:other.test
[localhost]
subjectAltName = DNS:localhost
[registry]
subjectAltName = DNS:registry.stand-in.test
`;

/** A leaf for `extension` (a section of CA_CONFIG), signed by the CA, valid between the two dates. */
function leaf(dir: string, name: string, extension: string, dates: [string, string]): KeyPair {
  openssl(dir, `req -newkey rsa:2048 -nodes -keyout ${name}.key -out ${name}.csr -subj /CN=${name}`);
  openssl(
    dir,
    `ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in ${name}.csr -out ${name}.pem -startdate ${dates[0]} -enddate ${dates[1]} -extensions ${extension} -notext`,
  );
  return read(dir, name);
}

function read(dir: string, name: string): KeyPair {
  return {
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    cert: readFileSync(join(dir, `${name}.pem`), 'utf8'),
  };
}

/** openssl's date form, YYYYMMDDHHMMSSZ. */
const stamp = (date: Date): string => `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'tls-'));
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '01\n');
  selfSigned(dir, 'ca', '/CN=Test-CA', 'basicConstraints=critical,CA:TRUE');
  selfSigned(dir, 'self', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1');
  const now = Date.now();
  const current: [string, string] = [stamp(new Date(now - 3_600_000)), stamp(new Date(now + 86_400_000))];
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    valid: leaf(dir, 'valid', 'ip', current),
    expired: leaf(dir, 'expired', 'ip', ['20200101000000Z', '20200102000000Z']),
    otherHost: leaf(dir, 'other', 'other', current),
    localhostName: leaf(dir, 'localhost', 'localhost', current),
    registryName: leaf(dir, 'registry', 'registry', current),
    selfSigned: read(dir, 'self'),
  };
}
