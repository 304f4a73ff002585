import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parsePipeline } from './pipeline.js';

/**
 * .gitlab-ci.yml against GitLab's own JSON schema (test/fixtures/README.md says where it comes
 * from), after anchors, merge keys and !reference are resolved as GitLab resolves them: what the
 * schema rejects, GitLab's pipeline editor rejects too, so a typo in a keyword or a wrong shape
 * fails here rather than on the first push.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const schema = JSON.parse(readFileSync(join(root, 'test/fixtures/gitlab-ci-schema.json'), 'utf8')) as object;
// ajv-formats is CommonJS with a default export: under NodeNext its namespace is what arrives.
const addFormats = addFormatsImport as unknown as typeof addFormatsImport.default;
// Not strict: GitLab writes the schema for its editor's lenient validator (annotations such as
// markdownDescription, `required` under a oneOf branch that lists no properties), which ajv's
// strict mode refuses to compile; the constraints themselves are standard draft-07.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function errorsOf(pipeline: unknown): string[] {
  if (validate(pipeline)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

describe('.gitlab-ci.yml against GitLab CI schema', () => {
  it('is valid', () => {
    const pipeline = parsePipeline(readFileSync(join(root, '.gitlab-ci.yml'), 'utf8'));
    expect(errorsOf(pipeline)).toEqual([]);
  });

  it('is a schema that rejects what GitLab rejects', () => {
    // Each a mistake GitLab refuses: an unknown job keyword, a when GitLab does not know, a
    // needs entry that is neither a name nor an object, an artifacts key misspelt.
    for (const job of [
      { script: ['true'], scirpt: ['true'] },
      { script: ['true'], when: 'sometimes' },
      { script: ['true'], needs: [1] },
      { script: ['true'], artifacts: { path: ['a'] } },
    ]) {
      expect(errorsOf({ stages: ['test'], job: { stage: 'test', ...job } }), JSON.stringify(job)).not.toEqual(
        [],
      );
    }
    expect(errorsOf({ stages: ['test'], job: { stage: 'test', script: ['true'] } })).toEqual([]);
  });
});

describe('parsePipeline', () => {
  it('resolves anchors, merge keys and !reference as GitLab does', () => {
    const pipeline = parsePipeline(
      [
        '.setup:',
        '  before_script: [apt-get update, apt-get install -y x]',
        '  variables: &vars { A: "1" }',
        'job:',
        '  variables: { <<: *vars, B: "2" }',
        '  script:',
        '    - echo first',
        '    - !reference [.setup, before_script]',
        '    - echo last',
      ].join('\n'),
    );
    expect(pipeline.job).toEqual({
      variables: { A: '1', B: '2' },
      script: ['echo first', 'apt-get update', 'apt-get install -y x', 'echo last'],
    });
  });

  it('refuses a !reference to nothing', () => {
    expect(() => parsePipeline('job:\n  script: !reference [.missing, script]\n')).toThrow(
      /points at nothing/,
    );
  });
});
