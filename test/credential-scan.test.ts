import { describe, expect, it } from 'vitest';
import { documentCredentialProblems, inputFields } from '../src/credentials/documents';
import { isCredentialName, mask, scanFields, scanValue } from '../src/credentials/scan';

// The credential scan on small documents: which field a value is read under, what each rule
// finds, and how a message masks the value. (test/credentials.test.ts runs it through synth.)
// Credentials are assembled at run time, so this file never holds one a repository scanner
// would flag.
const STRIPE = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dc'].join('_');
const AWS_KEY_ID = ['AK', 'IA', 'Z7Q3', 'KX2M', 'PL8V', 'NR4T'].join('');
const SLACK_WEBHOOK = ['https:/', 'hooks.slack.com', 'services', 'T0AAAAAAA', 'B0BBBBBBB', 'Xy'.repeat(12)].join('/');
const GITHUB_TOKEN = ['gh', 'p_', 'Zq7Xw3Lr9Tn2Vb5Mk8Hs4Jd6Fg1Pc0Ay2Ue3'].join('');
const PASSWORD = 'hunter2hunter2';
const SHOWN = 'hu…(14 characters)';
const FIX = 'keep it in a Secret and reference it with secretKey(name, key)';

const scan = (...docs: Array<Record<string, any>>) => documentCredentialProblems(docs.map((doc) => ({ env: 'dev', constructPath: 'app/api', doc })));
const deployment = (container: Record<string, unknown>, pod: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api' },
  spec: { template: { spec: { containers: [{ name: 'api', image: 'ghcr.io/acme/api:1.2.3', ...container }], ...pod } } },
});
/** The problem lines of a Deployment with this container, without the prefix they share and the fix. */
const inContainer = (container: Record<string, unknown>) => {
  const lines = scan(deployment(container));
  for (const l of lines) expect(l).toMatch(new RegExp(`^dev/app/api: Deployment/api: spec\\.template\\.spec\\.containers\\[api\\]\\..*; ${FIX.replace(/[()]/g, '\\$&')}$`));
  return lines.map((l) => l.replace('dev/app/api: Deployment/api: spec.template.spec.containers[api].', '').replace(`; ${FIX}`, ''));
};
const named = (path: string, name: string, shown = SHOWN) => `${path} holds a literal under the credential name ${name}: ${shown} [credential-name]`;

describe('command lines', () => {
  it('reads a flag value under the flag name, whether it is the next argument or after =', () => {
    expect(inContainer({ args: ['--db-password', PASSWORD] })).toEqual([named('args[1]', 'db-password')]);
    expect(inContainer({ args: ['-password', PASSWORD] })).toEqual([named('args[1]', 'password')]);
    expect(inContainer({ args: [`-token=${PASSWORD}`] })).toEqual([named('args[0]', 'token')]);
    // A passphrase with spaces is one value, reported once.
    expect(inContainer({ args: ['--admin-password=correct horse battery'] })).toEqual([named('args[0]', 'admin-password', 'corr…(21 characters)')]);
  });

  it('reads no value where there is none: a flag after a flag, a word with a dash, a value after a flag=value', () => {
    expect(inContainer({ args: ['--token', '--verbose'] })).toEqual([]);
    expect(inContainer({ args: ['app', 'rotate-token', 'payments'] })).toEqual([]);
    expect(inContainer({ args: ['--auth-token=$(API_TOKEN)', 'serve'] })).toEqual([]);
    expect(inContainer({ args: ['serve', 'use-api-key=false'] })).toEqual([]);
  });

  it('reads NAME=value arguments and a script’s assignments and flags, quoted or not', () => {
    expect(inContainer({ command: ['env', `DB_PASSWORD=${PASSWORD}`, 'app'] })).toEqual([named('command[1] (DB_PASSWORD=)', 'DB_PASSWORD')]);
    expect(inContainer({ command: ['sh', '-c', `PGPASSWORD=${PASSWORD} psql -h db`] })).toEqual([named('command[2] (PGPASSWORD=)', 'PGPASSWORD')]);
    expect(inContainer({ command: ['sh', '-c', `cd /tmp && PGPASSWORD=${PASSWORD} psql`] })).toEqual([named('command[2] (PGPASSWORD=)', 'PGPASSWORD')]);
    expect(inContainer({ command: ['sh', '-c', `export PGPASSWORD="correct horse"\nAPI_TOKEN='${PASSWORD}' exec app`] })).toEqual([
      named('command[2] (PGPASSWORD=)', 'PGPASSWORD', 'co…(13 characters)'),
      named('command[2] (API_TOKEN=)', 'API_TOKEN'),
    ]);
    expect(inContainer({ command: ['sh', '-c', `exec app --db-password  ${PASSWORD} --token="$API_TOKEN" --key=$(cat /run/key)`] })).toEqual([named('command[2] (db-password)', 'db-password')]);
    // A credential no flag names is reported once, on the argument.
    expect(inContainer({ command: ['sh', '-c', `exec app ${STRIPE}`] })).toEqual(['command[2] holds a Stripe live secret key: exec app sk_l…(32 characters) [stripe]']);
  });

  it('skips what is no string in a command line without failing', () => {
    expect(inContainer({ args: ['--port', 8080, '--password', null] })).toEqual([]);
  });

  it('reports a Secret-backed $(VAR) on a command line, in init containers too, but not $$(VAR) or a plain env var', () => {
    const secretEnv = [{ name: 'PORT', value: '8080' }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }];
    const doc = deployment(
      { env: secretEnv, args: ['--port=$(PORT)', 'echo $$(DB_PASSWORD)', 7] },
      { initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0', env: secretEnv, command: ['migrate', '--password', '$(DB_PASSWORD)'] }] },
    );
    expect(scan(doc)).toEqual([
      'dev/app/api: Deployment/api: initContainers[migrate].command[2] puts the Secret-backed $(DB_PASSWORD) on a command line, which /proc/<pid>/cmdline shows to anyone on the node [secret-in-args]; let the program read it from its env or a file',
    ]);
  });
});

describe('documents', () => {
  it('reads env values under their name, and env entries without a value as clean', () => {
    const env = [{ name: 'DB_PASSWORD', value: PASSWORD }, { name: 'API_TOKEN' }, { name: 'SESSION_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'PORT', value: '8080' }];
    expect(inContainer({ env })).toEqual([named('env[DB_PASSWORD].value', 'DB_PASSWORD')]);
  });

  it('reads a Secret’s data, stringData and binaryData under their keys', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'aHVudGVyMmh1bnRlcjI=' }, stringData: { DB_PASSWORD: PASSWORD }, binaryData: { 'api-token': 'aHVudGVyMmh1bnRlcjI=' } };
    expect(scan(secret)).toEqual([
      `dev/app/api: Secret/db: ${named('data.password', 'password', 'aHVu…(20 characters)')}; ${FIX}`,
      `dev/app/api: Secret/db: ${named('stringData.DB_PASSWORD', 'DB_PASSWORD')}; ${FIX}`,
      `dev/app/api: Secret/db: ${named('binaryData.api-token', 'api-token', 'aHVu…(20 characters)')}; ${FIX}`,
    ]);
  });

  it('names list items by name or index, skips what is no string, and names the object of each finding', () => {
    const clean = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'clean' }, data: { LOG_LEVEL: 'info' } };
    const doc = {
      apiVersion: 'example.com/v1',
      kind: 'Mirror',
      metadata: { name: 'mirror', labels: null, annotations: undefined },
      spec: { replicas: 2, paused: false, upstreams: [null, { url: `redis://:${PASSWORD}@cache:6379` }], hosts: ['a.example.com', `https://ci:${PASSWORD}@r.example.com`] },
    };
    expect(scan(clean, doc)).toEqual([
      `dev/app/api: Mirror/mirror: spec.upstreams[1].url holds a redis URL with a password: redis://:${SHOWN}@cache:6379 [url-password]; ${FIX}`,
      `dev/app/api: Mirror/mirror: spec.hosts[1] holds a https URL with a password: https://ci:${SHOWN}@r.example.com [url-password]; ${FIX}`,
    ]);
    expect(scan({ kind: 'ConfigMap', data: { DB_PASSWORD: PASSWORD } })).toEqual([`dev/app/api: ConfigMap/undefined: ${named('data.DB_PASSWORD', 'DB_PASSWORD')}; ${FIX}`]);
  });

  it('reads any list of strings as words: NAME=value literals, flags and their values', () => {
    const doc = { apiVersion: 'example.com/v1', kind: 'Generator', metadata: { name: 'gen' }, spec: { literals: ['LOG_LEVEL=info', `DB_PASSWORD=${PASSWORD}`], hosts: ['a.example.com'] } };
    expect(scan(doc)).toEqual([`dev/app/api: Generator/gen: ${named('spec.literals[1] (DB_PASSWORD=)', 'DB_PASSWORD')}; ${FIX}`]);
  });

  it('masks a credential in a name (a ConfigMap key, an env var) in the path too', () => {
    const doc = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'users' }, data: { greeting: 'hello', [AWS_KEY_ID]: 'alice' } };
    const lines = scan(doc);
    expect(lines).toEqual([`dev/app/api: ConfigMap/users: data.AKIA…(20 characters) holds what secretlint's aws rule calls aws access key id: AKIA…(20 characters) [secretlint/aws]; ${FIX}`]);
    expect(scan(deployment({ env: [{ name: AWS_KEY_ID, value: 'x' }] }))).toEqual([
      `dev/app/api: Deployment/api: spec.template.spec.containers[api].env[AKIA…(20 characters)].name holds what secretlint's aws rule calls aws access key id: AKIA…(20 characters) [secretlint/aws]; ${FIX}`,
      `dev/app/api: Deployment/api: spec.template.spec.containers[api].env[AKIA…(20 characters)].value holds what secretlint's aws rule calls aws access key id: AKIA…(20 characters) [secretlint/aws]; ${FIX}`,
    ]);
  });

  it('reads every string of an input under its key, lists under the list’s key, and skips what it is told to', () => {
    const input = { signals: { images: ['a', 'b'], replicas: 2, note: null, secret: { ref: 'db' } }, SECRET: 'x' };
    expect(inputFields(input)).toEqual([
      { path: 'signals.images[0]', value: 'a', name: 'images' },
      { path: 'signals.images[1]', value: 'b', name: 'images' },
      { path: 'signals.secret.ref', value: 'db', name: 'ref' },
      { path: 'SECRET', value: 'x', name: 'SECRET' },
    ]);
    expect(inputFields(input, (v) => 'ref' in v).map((f) => f.path)).toEqual(['signals.images[0]', 'signals.images[1]', 'SECRET']);
  });
});

describe('rules', () => {
  it('knows credential names and names of where a credential is', () => {
    const yes = ['DB_PASSWORD', 'SIGNING_PWD', 'api-token', 'clientSecret', 'SENTRY_DSN', 'GCP_CREDENTIALS', 'API_KEY', 'key', 'fernet.key', 'apiKey', 'JWT_SECRET_REFRESH'];
    const no = ['DB_PASSWORD_FILE', 'TOKEN_TTL', 'OAUTH_TOKEN_URL', 'SECRET_NAME', 'PASSWORD_REQUIRED', 'hotkey', 'MONKEY', 'apiKeyId', 'KEYCLOAK_REALM', 'LOG_LEVEL'];
    expect(yes.filter((n) => !isCredentialName(n))).toEqual([]);
    expect(no.filter((n) => isCredentialName(n))).toEqual([]);
  });

  it('passes references as a credential name’s value, and only those', () => {
    for (const ref of ['$(DB_PASS)', '${DB_PASS}', '`cat /run/secrets/db`', '/run/secrets/db/password']) expect(scanValue('DB_PASSWORD', ref), ref).toEqual([]);
    for (const literal of ['hunter$2hunter', '/ not a path', 'x/run/secrets']) expect(scanValue('DB_PASSWORD', literal).map((f) => f.rule), literal).toEqual(['credential-name']);
  });

  it('passes a Secret’s name under `secret`, and nothing else there', () => {
    for (const value of ['tradebot-pgadmin', 'a', 'a'.repeat(253)]) expect(scanValue('secret', value), value).toEqual([]);
    expect(scanValue('secrets', 'db')).toEqual([]);
    for (const [name, value] of [['secret', 'a'.repeat(254)], ['secret', 'Hunter2hunter2'], ['secret', 'hunter2!'], ['clientSecret', 'abcdefgh'], ['secretValue', 'hunter']]) {
      expect(scanValue(name, value).map((f) => f.rule), `${name}: ${value}`).toEqual(['credential-name']);
    }
  });

  it('reports each own rule with what it found, under the field’s path, the value masked', () => {
    expect(scanValue('DB_PASSWORD', PASSWORD)).toEqual([{ rule: 'credential-name', what: 'a literal under the credential name DB_PASSWORD', shown: SHOWN, path: 'DB_PASSWORD' }]);
    expect(scanValue(undefined, `payments ${STRIPE}`)).toEqual([{ rule: 'stripe', what: 'a Stripe live secret key', shown: 'payments sk_l…(32 characters)', path: '' }]);
    expect(scanValue(undefined, `redis://:${PASSWORD}$(SUFFIX)@cache`)).toEqual([{ rule: 'url-password', what: 'a redis URL with a password', shown: 'redis://:hunt…(23 characters)@cache', path: '' }]);
    expect(scanValue(undefined, 'https://x9f8a7s6d5f4g3h2j1k0@git.example.com')).toEqual([{ rule: 'url-password', what: 'a https URL with a token as its user', shown: 'https://x9f8…(20 characters)@git.example.com', path: '' }]);
    // A user of letters only or digits only is a user name, not a token.
    expect(scanValue(undefined, 'https://abcdefghijklmnopqrstu@git.example.com')).toEqual([]);
    expect(scanValue(undefined, 'https://12345678901234567890@git.example.com')).toEqual([]);
    // One line per field: of two own rules, the first by name.
    expect(scanValue(undefined, `redis://:${STRIPE}@cache:6379`).map((f) => f.rule)).toEqual(['stripe']);
    // secretlint's provider rules run over rendered documents only.
    expect(scanValue(undefined, AWS_KEY_ID)).toEqual([]);
  });

  it('masks a credential: its first characters by length, its length, and 24 characters of context', () => {
    expect(['a'.repeat(16), 'b'.repeat(15), 'c'.repeat(10), 'd'.repeat(9)].map(mask)).toEqual(['aaaa…(16 characters)', 'bb…(15 characters)', 'cc…(10 characters)', '…(9 characters)']);
    const dots = (n: number) => '.'.repeat(n);
    expect(scanValue(undefined, `${dots(24)}${STRIPE}${dots(24)}`)[0].shown).toBe(`${dots(24)}sk_l…(32 characters)${dots(24)}`);
    expect(scanValue(undefined, `${dots(25)}${STRIPE}${dots(25)}`)[0].shown).toBe(`…${dots(24)}sk_l…(32 characters)${dots(24)}…`);
  });
});

describe('secretlint over many fields', () => {
  it('maps each report to its field and masks it there, in field order, the own rule first', () => {
    const found = scanFields([
      { path: 'a', value: 'hello', name: 'GREETING' },
      { path: 'b', value: `id: ${AWS_KEY_ID} (prod)` },
      { path: 'c', value: STRIPE, name: 'PAYMENTS' },
      { path: 'd', value: `# secretlint-disable\n${SLACK_WEBHOOK}`, name: 'ALERTS' },
      { path: 'e', value: SLACK_WEBHOOK, name: 'SLACK_TOKEN' },
      { path: 'f', value: `${GITHUB_TOKEN} (ci)` },
    ]);
    expect(found.map(({ path, rule, shown }) => ({ path, rule, shown }))).toEqual([
      { path: 'b', rule: 'secretlint/aws', shown: 'id: AKIA…(20 characters) (prod)' },
      { path: 'c', rule: 'stripe', shown: 'sk_l…(32 characters)' },
      { path: 'd', rule: 'secretlint/slack', shown: '# secretlint-disable\\nhttp…(77 characters)' },
      { path: 'e', rule: 'credential-name', shown: 'http…(77 characters)' },
      { path: 'f', rule: 'secretlint/github', shown: 'ghp_…(40 characters) (ci)' },
    ]);
    expect(found[0].what).toBe("what secretlint's aws rule calls aws access key id");
    expect(found[4].what).toBe("what secretlint's github rule calls github token");
  });
});
