import { isInterfaceType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../schema.ts';
import { nodeLoaders } from './node-fields.ts';

describe('Query.node', () => {
  it('has a loader for every type implementing Node', () => {
    const node = schema.getType('Node');
    if (!isInterfaceType(node)) throw new Error('Node is not an interface');
    const implementations = schema.getPossibleTypes(node).map((type) => type.name);

    expect(implementations.sort()).toEqual(Object.keys(nodeLoaders).sort());
  });
});
