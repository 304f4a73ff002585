import { describe, expect, it } from 'vitest';
import { engineFile } from './engine-files.js';

describe('engineFile', () => {
  it('resolves under src/ with the .ts extension from source', () => {
    expect(
      engineFile('shard/shard-worker.js', 'file:///home/src/app/packages/engine/src/server/create-server.ts')
        .href,
    ).toBe('file:///home/src/app/packages/engine/src/shard/shard-worker.ts');
  });

  it('resolves under dist/ from a bundle, at any depth', () => {
    expect(
      engineFile('games/demo/index.js', 'file:///x/src/node_modules/@leviathan/engine/dist/index.js').href,
    ).toBe('file:///x/src/node_modules/@leviathan/engine/dist/games/demo/index.js');
    expect(engineFile('games/demo/index.js', 'file:///x/engine/dist/shard/shard-worker.js').href).toBe(
      'file:///x/engine/dist/games/demo/index.js',
    );
  });
});
