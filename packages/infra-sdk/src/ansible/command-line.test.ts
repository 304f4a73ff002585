import { describe, expect, it } from 'vitest';
import { adHocArgs, playbookArgs } from './command-line.js';
import { AnsibleInvalidOptionError } from './errors.js';

const none = { extraVarsFile: undefined, inventoryFile: undefined };

describe('playbookArgs', () => {
  it('passes every option as one --name=value element, playbooks as absolute paths', () => {
    const args = playbookArgs(
      {
        playbook: 'site.yml',
        cwd: '/srv/deploy',
        inventory: ['hosts.ini', '-weird'],
        limit: ['web', '!web3'],
        tags: ['deploy'],
        skipTags: ['slow'],
        check: true,
        diff: true,
        vaultPasswordFile: '/run/vault-pass',
        vaultIds: ['prod@/run/prod-pass'],
        privateKey: '/home/ops/.ssh/id_ed25519',
        remoteUser: 'deploy',
        forks: 10,
        become: true,
        extraVarsFiles: ['vars.yml'],
      },
      { extraVarsFile: '/tmp/run/extra-vars.json', inventoryFile: undefined },
    );
    expect(args).toEqual([
      '--inventory=hosts.ini',
      '--inventory=-weird',
      '--limit=web,!web3',
      '--extra-vars=@/tmp/run/extra-vars.json',
      '--extra-vars=@/srv/deploy/vars.yml',
      '--check',
      '--diff',
      '--vault-password-file=/run/vault-pass',
      '--vault-id=prod@/run/prod-pass',
      '--private-key=/home/ops/.ssh/id_ed25519',
      '--user=deploy',
      '--forks=10',
      '--become',
      '--tags=deploy',
      '--skip-tags=slow',
      '/srv/deploy/site.yml',
    ]);
  });

  it('rejects what would change meaning on the way', () => {
    expect(() => playbookArgs({ playbook: 'a.yml', tags: ['a,b'] }, none)).toThrow(AnsibleInvalidOptionError);
    expect(() => playbookArgs({ playbook: 'a.yml', limit: 'web\nall' }, none)).toThrow(
      AnsibleInvalidOptionError,
    );
    expect(() => playbookArgs({ playbook: [] }, none)).toThrow(/no playbook/);
    expect(() => playbookArgs({ playbook: 'a.yml', forks: 0 }, none)).toThrow(/forks/);
  });
});

describe('adHocArgs', () => {
  it('passes object arguments as JSON and ends options before the pattern', () => {
    expect(
      adHocArgs({ pattern: '-all', module: 'ansible.builtin.debug', args: { msg: "it's" } }, none),
    ).toEqual(['--module-name=ansible.builtin.debug', `--args={"msg":"it's"}`, '--', '-all']);
  });
});
