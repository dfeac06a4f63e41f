import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { TEST_KEYS, useTestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { buildCli, closedPort, TestCli } from './cli';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the firebreak CLI: logging in and contexts', () => {
  const e2e = useTestFirebreak({ operator: testOperatorConfig() });
  let main: string;
  let cli: TestCli;
  const url = () => e2e.firebreak.http.baseUrl;

  beforeAll(() => {
    main = buildCli('contexts');
  });
  beforeEach(() => {
    // A fresh contexts file (and home) per test.
    cli = new TestCli(main);
  });

  it('stores a login in a file only its owner may read, and never prints the key', async () => {
    const login = await cli.run(['login', '--url', `${url()}/`, '--key', TEST_KEYS.admin]);
    expect(login).toMatchObject({ code: 0, stdout: `context "default" → ${url()} is current (stored in ${cli.configPath})\n`, stderr: '' });
    expect(mode(cli.configPath)).toBe(0o600);
    expect(JSON.parse(readFileSync(cli.configPath, 'utf8'))).toEqual({ currentContext: 'default', contexts: { default: { url: url(), key: TEST_KEYS.admin } } });

    const listed = await cli.run(['context', 'ls']);
    expect(listed.stdout).toBe(`CURRENT   NAME      URL${' '.repeat(url().length - 3)}   KEY\n*         default   ${url()}   ********\n`);
    const json = await cli.run(['context', 'ls', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toEqual({ currentContext: 'default', contexts: [{ name: 'default', url: url(), key: '********', current: true }] });
    for (const output of [login, listed, json]) expect(output.stdout + output.stderr).not.toContain(TEST_KEYS.admin);

    // It works: the stored URL and key reach the API.
    expect((await cli.json(['incidents', 'ls', '--limit', '1'])).incidents).toEqual(expect.any(Array));
  });

  it('keeps contexts side by side: --context picks one, context use switches, context rm forgets', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    await cli.ok(['login', '--url', url(), '--key', TEST_KEYS.viewer, '--context', 'local']);
    await cli.ok(['login', '--url', dead, '--key', 'staging-key-0123456789', '--context', 'staging', '--no-check']);
    expect(await cli.json(['context', 'ls'])).toEqual({
      currentContext: 'staging',
      contexts: [
        { name: 'local', url: url(), key: '********', current: false },
        { name: 'staging', url: dead, key: '********', current: true },
      ],
    });
    expect(mode(cli.configPath)).toBe(0o600);

    expect((await cli.run(['incidents', 'ls'])).stderr).toBe(`error: cannot reach ${dead}: ECONNREFUSED\n`);
    expect((await cli.run(['incidents', 'ls', '--context', 'local'])).code).toBe(0);
    expect(await cli.ok(['context', 'use', 'local'])).toBe('context "local" is current\n');
    expect((await cli.run(['incidents', 'ls'])).code).toBe(0);
    // The viewer key of "local" may read, not write.
    expect((await cli.run(['incidents', 'declare', '--title', 'x', '--severity', 'SEV4'])).code).toBe(4);

    expect(await cli.json(['context', 'rm', 'staging'])).toEqual({ removed: 'staging' });
    expect((await cli.run(['context', 'use', 'staging'])).code).toBe(3);
    expect((await cli.run(['incidents', 'ls', '--context', 'staging'])).code).toBe(3);
  });

  it('lets FIREBREAK_URL and FIREBREAK_KEY take precedence over the context', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    await cli.ok(['login', '--url', dead, '--key', 'wrong-key-0123456789', '--no-check']);
    expect((await cli.run(['incidents', 'ls'])).code).toBe(1);
    expect((await cli.run(['incidents', 'ls'], { env: { FIREBREAK_URL: url() } })).code).toBe(4);
    expect((await cli.run(['incidents', 'ls'], { env: { FIREBREAK_URL: url(), FIREBREAK_KEY: TEST_KEYS.viewer } })).code).toBe(0);

    // With no contexts file at all, the environment alone is enough; with neither, exit 2.
    const bare = new TestCli(main);
    expect((await bare.run(['incidents', 'ls'], { env: { FIREBREAK_URL: url(), FIREBREAK_KEY: TEST_KEYS.viewer } })).code).toBe(0);
    expect(await bare.run(['incidents', 'ls'])).toMatchObject({
      code: 2,
      stderr: 'error: no API to talk to: run firebreak login --url <api> --key <key>, or set FIREBREAK_URL and FIREBREAK_KEY\n',
    });
    expect(existsSync(bare.configPath)).toBe(false);
  });

  it('stores the file under XDG_CONFIG_HOME, else ~/.config, when FIREBREAK_CONFIG is unset', async () => {
    const xdg = mkdtempSync(join(tmpdir(), 'firebreak-xdg-'));
    await cli.ok(['login', '--url', url(), '--key', TEST_KEYS.viewer], { env: { FIREBREAK_CONFIG: undefined, XDG_CONFIG_HOME: xdg } });
    expect(mode(join(xdg, 'firebreak'))).toBe(0o700);
    expect(mode(join(xdg, 'firebreak', 'config.json'))).toBe(0o600);

    await cli.ok(['login', '--url', url(), '--key', TEST_KEYS.viewer], { env: { FIREBREAK_CONFIG: undefined } });
    const home = resolve(cli.configPath, '..');
    expect(mode(join(home, '.config', 'firebreak', 'config.json'))).toBe(0o600);
  });

  it('reads the key from stdin with --key -, and saves nothing when the API refuses it or cannot be reached', async () => {
    await cli.run(['login', '--url', url(), '--key', '-'], { stdin: `${TEST_KEYS.responder}\n` });
    expect(JSON.parse(readFileSync(cli.configPath, 'utf8')).contexts.default.key).toBe(TEST_KEYS.responder);

    const refused = await cli.run(['login', '--url', url(), '--key', 'wrong-key-0123456789', '--context', 'bad']);
    expect(refused).toMatchObject({ code: 4, stderr: 'error: unknown API key\n' });
    const unreachable = await cli.run(['login', '--url', `http://127.0.0.1:${await closedPort()}`, '--key', 'k', '--context', 'gone']);
    expect(unreachable.code).toBe(1);
    expect(Object.keys(JSON.parse(readFileSync(cli.configPath, 'utf8')).contexts)).toEqual(['default']);
    expect((await cli.run(['login', '--url', 'not a url', '--key', 'k'])).code).toBe(2);
    expect((await cli.run(['login', '--url', 'http://user:pass@127.0.0.1:3000', '--key', 'k'])).code).toBe(2);
  });

  it('warns about a contexts file others may read, and the next login makes it private again', async () => {
    await cli.ok(['login', '--url', url(), '--key', TEST_KEYS.viewer]);
    chmodSync(cli.configPath, 0o644);
    const listed = await cli.run(['context', 'ls']);
    expect(listed.stderr).toBe(`warning: ${cli.configPath} holds API keys and others may read it: chmod 600 it (the next login does)\n`);
    await cli.ok(['login', '--url', url(), '--key', TEST_KEYS.viewer]);
    expect(mode(cli.configPath)).toBe(0o600);
  });

  it('runs through bin/firebreak.js, the command npx and npm install -g put on PATH', async () => {
    const launcher = resolve(__dirname, '..', '..', '..', 'bin', 'firebreak.js');
    const { stdout } = await promisify(execFile)(process.execPath, [launcher, '--version'], { env: { PATH: process.env.PATH } });
    expect(stdout).toBe(`${(JSON.parse(readFileSync(resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version}\n`);
  }, 180_000);
});
