import { describe, expect, it } from 'vitest';
import { captureIo as io } from '../../../../test/helpers/capture-io.js';
import { runCli } from '../../run-cli.js';

describe('leviathan top: the command line', () => {
  it('is listed in leviathan --help and has its own help', async () => {
    const main = io();
    expect(await runCli(['--help'], main.io)).toBe(0);
    expect(main.out()).toMatch(/\n {2}top +Watch a running engine/);
    const t = io();
    expect(await runCli(['top', '--help'], t.io)).toBe(0);
    expect(t.out()).toContain('Usage: leviathan top [url] [--interval <seconds>]');
    expect(t.out()).toContain('leviathan top --prometheus <url>');
    expect(t.out()).toContain('npm install ink@6.8.0 react@19.3.1');
  });

  it.each([
    [['--interval', '0'], /--interval must be a number of seconds, at least 0\.2, got "0"/],
    [['--interval', 'soon'], /--interval must be a number of seconds/],
    [['--nope'], /Unknown option '--nope'; see leviathan top --help/],
    [['a:1', 'b:2'], /one address at most, got a:1 b:2/],
    [['a:1', '--prometheus', 'http://p:9090'], /give an engine address or --prometheus <url>, not both/],
    [['http://'], /not an engine address/],
  ])('refuses %j with exit code 2 and a line saying why', async (argv, message) => {
    const t = io();
    expect(await runCli(['top', ...argv], t.io)).toBe(2);
    expect(t.err()).toMatch(new RegExp(`^leviathan top: ${message.source}`));
    expect(t.err().split('\n')).toHaveLength(2);
  });

  it('refuses a --prometheus address that is not one', async () => {
    const t = io();
    expect(await runCli(['top', '--prometheus', 'http://', '--interval', '2'], t.io)).toBe(2);
    expect(t.err()).toMatch(/^leviathan top: not a Prometheus address/);
  });

  it('prints one fleet frame saying Prometheus is unreachable, exit code 1', async () => {
    const t = io();
    expect(await runCli(['top', '--prometheus', 'http://127.0.0.1:1'], t.io)).toBe(1);
    expect(t.out()).toMatch(/^leviathan top +fleet http:\/\/127\.0\.0\.1:1 /);
    expect(t.out()).toMatch(/✖ unreachable: /);
  });
});
