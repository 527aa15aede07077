import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, JsonPatch } from 'cdk8s';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import { AppConfig, InputError, PlatformChart, render, secretKey, WebService } from '../src';
import { SecretKey } from '../src/config';
import { documentFields, inputFields } from '../src/credentials/documents';
import { scanFields } from '../src/credentials/scan';
import { problemsOf, SMALL } from './helpers';

// Every credential the security review found passing synth now fails it, naming env, platform,
// object and field, with the value masked; and the real inputs and dist/ hold none.

// Credentials are assembled at run time, so this file never holds one a repository scanner
// would flag.
const STRIPE = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dc'].join('_');
const AWS_KEY_ID = ['AK', 'IA', 'Z7Q3', 'KX2M', 'PL8V', 'NR4T'].join('');
const SLACK_WEBHOOK = ['https:/', 'hooks.slack.com', 'services', 'T0AAAAAAA', 'B0BBBBBBB', 'Xy'.repeat(12)].join('/');
const PASSWORD = 'hunter2hunter2';

const web = (chart: PlatformChart, over: Record<string, unknown> = {}) =>
  new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.2.3', profile: { replicas: 1, resources: SMALL }, port: 8080, healthPath: '/healthz', ...over });
const deployment = (w: WebService) => w.node.tryFindChild('Resource') as ApiObject;

/** The problem lines that mention `field`; fails unless there is at least one. */
function linesAbout(problems: readonly string[], field: string): string[] {
  const lines = problems.filter((p) => p.includes(field));
  expect(lines, `a line about ${field} among:\n  ${problems.join('\n  ')}`).not.toEqual([]);
  return lines;
}

const cases: Array<{ name: string; build: (c: PlatformChart) => void; field: string; says: string; secret: string }> = [
  { name: 'env DB_PASS with a plain value', build: (c) => void web(c, { env: { DB_PASS: PASSWORD } }), field: 'env.DB_PASS', says: 'a literal under the credential name DB_PASS', secret: PASSWORD },
  { name: 'env SIGNING_PWD with a plain value', build: (c) => void web(c, { env: { SIGNING_PWD: PASSWORD } }), field: 'env.SIGNING_PWD', says: 'credential name SIGNING_PWD', secret: PASSWORD },
  { name: 'a redis URL with a password in env', build: (c) => void web(c, { env: { CACHE_URL: `redis://:${PASSWORD}@cache:6379` } }), field: 'env.CACHE_URL', says: 'a redis URL with a password: redis://:hu…(14 characters)@cache:6379', secret: PASSWORD },
  { name: 'a Slack webhook URL in env', build: (c) => void web(c, { env: { ALERTS_WEBHOOK_URL: SLACK_WEBHOOK } }), field: 'env[ALERTS_WEBHOOK_URL].value', says: "secretlint's slack rule", secret: SLACK_WEBHOOK.slice(-24) },
  { name: 'an AWS access key id in env', build: (c) => void web(c, { env: { AWS_ACCESS_KEY_ID: AWS_KEY_ID } }), field: 'env[AWS_ACCESS_KEY_ID].value', says: "secretlint's aws rule calls aws access key id", secret: AWS_KEY_ID },
  { name: 'a Stripe key in command args', build: (c) => void web(c, { args: ['--stripe', STRIPE] }), field: 'containers[api].args[1]', says: 'a Stripe live secret key: sk_l…(32 characters)', secret: STRIPE },
  { name: 'a Stripe key in a --flag=value', build: (c) => void web(c, { args: [`--stripe-key=${STRIPE}`] }), field: 'containers[api].args[0]', says: 'a literal under the credential name stripe-key: sk_l…(32 characters)', secret: STRIPE },
  { name: 'a redis URL with a password in command', build: (c) => void web(c, { command: ['worker', `--broker=redis://:${PASSWORD}@cache:6379/0`] }), field: 'containers[api].command[1]', says: 'a redis URL with a password', secret: PASSWORD },
  {
    name: 'a password in a shell script',
    build: (c) => void web(c, { command: ['sh', '-c', `export PGPASSWORD=${PASSWORD}\nexec psql -h db`] }),
    field: 'containers[api].command[2] (PGPASSWORD=)',
    says: 'credential name PGPASSWORD',
    secret: PASSWORD,
  },
  {
    name: 'a raw ConfigMap with DB_PASSWORD',
    build: (c) => void new ApiObject(c, 'raw', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw', namespace: c.namespace }, data: { DB_PASSWORD: PASSWORD } } as any),
    field: 'ConfigMap/raw: data.DB_PASSWORD',
    says: 'credential name DB_PASSWORD',
    secret: PASSWORD,
  },
  {
    name: 'a raw ConfigMap with a Stripe key in a file',
    build: (c) => void new ApiObject(c, 'raw', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw', namespace: c.namespace }, data: { 'config.yaml': `payments:\n  key: ${STRIPE}\n` } } as any),
    field: 'ConfigMap/raw: data.config.yaml',
    says: 'a Stripe live secret key: payments:\\n  key: sk_l…(32 characters)\\n',
    secret: STRIPE,
  },
  {
    name: 'a Stripe key added through a JSON patch',
    build: (c) => void deployment(web(c)).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/env', [{ name: 'PAYMENTS', value: STRIPE }])),
    field: 'Deployment/api: spec.template.spec.containers[api].env[PAYMENTS].value',
    says: 'a Stripe live secret key',
    secret: STRIPE,
  },
  {
    name: 'a token as the user of a git URL',
    build: (c) => void web(c, { env: { REPO: `https://${'x9f8a7s6d5f4g3h2j1k0'}@git.example.com/acme/repo.git` } }),
    field: 'env.REPO',
    says: 'a https URL with a token as its user: https://x9f8…(20 characters)@git.example.com',
    secret: 'x9f8a7s6d5f4g3h2j1k0',
  },
  {
    name: 'a password in an annotation',
    build: (c) => void deployment(web(c)).metadata.addAnnotation('example.com/upstream', `https://bot:${PASSWORD}@upstream.example.com`),
    field: 'metadata.annotations.example.com/upstream',
    says: 'a https URL with a password',
    secret: PASSWORD,
  },
  {
    name: 'a private key in an AppConfig',
    build: (c) => void new AppConfig(c, 'settings', { data: { 'tls.pem': `-----BEGIN RSA ${'PRIVATE'} KEY-----\n${'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQAB'}\n-----END RSA ${'PRIVATE'} KEY-----\n` } }),
    field: "ConfigMap/settings-",
    says: "secretlint's privatekey rule",
    secret: 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0',
  },
];

describe('credentials in what synth renders', () => {
  it.each(cases)('fails on $name, naming env, platform, object and field, with the value masked', ({ build, field, says, secret }) => {
    const problems = problemsOf(build);
    const lines = linesAbout(problems, field);
    expect(lines.some((l) => l.includes(says)), lines.join('\n')).toBe(true);
    expect(lines.every((l) => l.startsWith('test/demo/') && l.includes('keep it in a Secret and reference it with secretKey(name, key)')), lines.join('\n')).toBe(true);
    for (const p of problems) expect(p, 'a message echoes the credential whole').not.toContain(secret);
  });

  it('fails when a Secret-backed env var is expanded into the arguments', () => {
    const problems = problemsOf((c) => void web(c, { env: { DB_PASSWORD: secretKey('db', 'password') }, args: ['--password=$(DB_PASSWORD)'] }));
    expect(linesAbout(problems, '[secret-in-args]')[0]).toContain('test/demo/api/Resource: Deployment/api: containers[api].args[0] puts the Secret-backed $(DB_PASSWORD) on a command line');
  });

  it('passes references: secretKey, $(VAR), file paths, Secret names and URLs without a password', () => {
    expect(
      problemsOf((c) => {
        web(c, {
          env: {
            DB_PASSWORD: secretKey('db', 'password'),
            PG_URL: 'postgres://app:$(DB_PASSWORD)@db:5432/app',
            DB_PASSWORD_FILE: '/run/secrets/db/password',
            OAUTH_TOKEN_URL: 'https://auth.example.com/oauth/token',
            UPSTREAM: 'https://user@upstream.example.com',
            PG_ADMIN_URL: 'postgres://postgres@db:5432/app',
            TOKEN_TTL_SECONDS: '',
          },
          args: ['--password-file', '/run/secrets/db/password'],
          command: ['sh', '-c', 'TOKEN=$(cat /var/run/secrets/tokens/api)\nAWS_ACCOUNT_ID=123456789012 exec app'],
        });
      }),
    ).toEqual([]);
  });
});

describe('credentials in the inputs', () => {
  /** The real overlays with one setting changed in `env`. */
  const withSetting = (env: string, change: (o: any) => any) => ({ ...overlays, [env]: change(overlays[env]) });

  it('fails when an overlay setting holds a password, naming env and path, masked', () => {
    const changed = withSetting('prod', (o) => ({ ...o, signals: { ...o.signals, settings: { ...o.signals.settings, ADMIN_PASSWORD: PASSWORD } } }));
    let problems: readonly string[] = [];
    try {
      render(changed, platforms);
    } catch (e) {
      problems = (e as InputError).problems;
    }
    expect(problems).toContain(`prod: overlay signals.settings.ADMIN_PASSWORD holds a literal under the credential name ADMIN_PASSWORD: hu…(14 characters) [credential-name]; keep it in a Secret and reference it with secretKey(name, key)`);
    for (const p of problems) expect(p).not.toContain(PASSWORD);
  });

  it('fails when a release names an image at a URL with a password', () => {
    const changed = withSetting('demo', (o) => ({ ...o, signals: { ...o.signals, images: { ...o.signals.images, app: `https://ci:${PASSWORD}@registry.example.com/signals:1.0.0` } } }));
    expect(() => render(changed, platforms)).toThrow(/demo: overlay signals\.images\.app holds a https URL with a password: https:\/\/ci:hu…\(14 characters\)@registry/);
  });
});

describe('the real inputs and dist/', () => {
  const root = path.resolve(__dirname, '..');
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

  it('hold no credential: every overlay and release, and every file of dist/', () => {
    const fields = [
      ...Object.entries(overlays).flatMap(([env, o]) => inputFields(o, (v) => v instanceof SecretKey).map((f) => ({ ...f, path: `overlays ${env}: ${f.path}` }))),
      ...walk(path.join(root, 'overlays')).map((file) => ({ path: path.relative(root, file), value: fs.readFileSync(file, 'utf8') })),
      ...walk(path.join(root, 'dist')).flatMap((file) => {
        const text = fs.readFileSync(file, 'utf8');
        const rel = path.relative(root, file);
        const docs = file.endsWith('.yaml') ? (yaml.loadAll(text) as Array<Record<string, any>>) : [];
        return [{ path: rel, value: text }, ...docs.flatMap((d) => documentFields(d).map((f) => ({ ...f, path: `${rel}: ${f.path}` })))];
      }),
    ];
    expect(fields.length).toBeGreaterThan(1000);
    expect(scanFields(fields).map((f) => `${f.path}: ${f.what} [${f.rule}]`)).toEqual([]);
  });
});
