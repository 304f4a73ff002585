import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ALL_CAPABILITIES,
  ALL_ERROR_CODES,
  CLIENT_MESSAGE_TYPES,
  CloseCode,
  SERVER_MESSAGE_TYPES,
} from '../src/index.js';

const read = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url)), 'utf8');

describe('docs', () => {
  const errorsMd = read('errors.md');
  const protocolMd = read('protocol.md');

  it.each(ALL_ERROR_CODES)('docs/errors.md documents %s in its table', (code) => {
    expect(errorsMd).toMatch(new RegExp(`^\\| \`${code}\` +\\|`, 'm'));
  });

  it.each(ALL_ERROR_CODES)('docs/protocol.md lists %s', (code) => {
    expect(protocolMd).toContain(`\`${code}\``);
  });

  it.each(Object.entries(CloseCode))('docs/protocol.md documents close code %s (%i)', (name, code) => {
    expect(protocolMd).toMatch(new RegExp(`^\\| ${code} +\\| \`${name}\` +\\|`, 'm'));
  });

  it.each([...CLIENT_MESSAGE_TYPES, ...SERVER_MESSAGE_TYPES])(
    'docs/protocol.md has an example of the %s message',
    (type) => {
      expect(protocolMd).toContain(`{"type":"${type}"`);
    },
  );

  it.each(ALL_CAPABILITIES)('docs/protocol.md describes the %s capability', (capability) => {
    expect(protocolMd).toContain(`\`${capability}\``);
  });

  it('every JSON example in docs/protocol.md that a client sends is valid, and every other parses', async () => {
    const { decodeLine, ProtocolError } = await import('../src/index.js');
    const examples = [...protocolMd.matchAll(/^(?:→|←) (\{.*\})$/gm)];
    expect(examples.length).toBeGreaterThan(20);
    for (const [line, json] of examples) {
      const value = JSON.parse(json as string);
      if (line.startsWith('→')) {
        const decoded = decodeLine(json as string);
        expect(decoded instanceof ProtocolError ? decoded.message : decoded, line).toEqual(value);
      } else {
        expect(SERVER_MESSAGE_TYPES, line).toContain(value.type);
      }
    }
  });
});
