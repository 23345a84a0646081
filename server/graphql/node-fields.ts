import { decodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import type { Loaders } from './loaders.ts';
import { MAX_LIST_ITEMS, tooManyItems } from './operation-limits.ts';

/** The loader behind each type implementing `Node`; a type missing here is never found by id. */
export const nodeLoaders = {
  User: 'user',
  Space: 'space',
  Participant: 'participant',
  Notification: 'notification',
  Recording: 'recording',
  Clip: 'clip',
} as const satisfies Record<string, keyof Loaders>;

const isNodeType = (typename: string): typename is keyof typeof nodeLoaders =>
  Object.hasOwn(nodeLoaders, typename);

function decode(globalId: string) {
  try {
    return decodeGlobalID(globalId);
  } catch {
    return null;
  }
}

/** The node a global id names, or null when it is malformed, unknown or hidden from the caller. */
function loadNode(ctx: Context, globalId: string) {
  const decoded = decode(globalId);
  if (!decoded || !isNodeType(decoded.typename)) return null;
  return ctx.loaders[nodeLoaders[decoded.typename]].load(decoded.id);
}

const Node = builder.nodeInterfaceRef();

builder.queryFields((t) => ({
  node: t.field({
    type: Node,
    nullable: true,
    description: 'The object with this id; null when it does not exist or is not yours to see.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => loadNode(ctx, String(args.id)),
  }),
  nodes: t.field({
    type: [Node],
    nullable: { list: false, items: true },
    description: `The objects with these ids (at most ${MAX_LIST_ITEMS}), in the order asked; null for each that does not exist or is not yours to see.`,
    args: { ids: t.arg.idList({ required: true }) },
    resolve: (_root, args, ctx) => {
      if (args.ids.length > MAX_LIST_ITEMS) throw tooManyItems('Query.nodes(ids:)', MAX_LIST_ITEMS);
      return args.ids.map((id) => loadNode(ctx, String(id)));
    },
  }),
}));
