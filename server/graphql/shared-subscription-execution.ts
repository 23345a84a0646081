import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
import { deliverDirectly, directSinkOf } from './direct-delivery.ts';
import { eventStream, isListenable } from './event-stream.ts';
import type { SubscriptionBacklog } from './subscription-backlog.ts';

/**
 * Types whose fields say the same to every viewer, so one execution of a selection made only of
 * them serves every subscriber. A field named `viewer…` never counts (it answers for the asker),
 * and a field of any other type makes the selection the asker's own: a missing type here costs
 * speed, never privacy.
 */
// A recording's own scalars (its state, length, audio URL) say the same to everyone; who may
// download the audio is checked when it is fetched.
const SAME_FOR_EVERY_VIEWER = ['Participant', 'User', 'ReactionCount', 'Recording'];
const SHARED_ROOT_FIELDS = new Set(['spaceEvents']);

/**
 * Whether `document`'s subscription selects only what is the same for every viewer: the root
 * field is one of SHARED_ROOT_FIELDS, and every field below it belongs to a space event or to
 * SAME_FOR_EVERY_VIEWER.
 */
export function selectsSameForEveryViewer(schema: GraphQLSchema, document: DocumentNode): boolean {
  const shared = new Set(SAME_FOR_EVERY_VIEWER);
  const spaceEvent = schema.getType('SpaceEvent');
  if (spaceEvent && isAbstractType(spaceEvent)) {
    shared.add(spaceEvent.name);
    for (const type of schema.getPossibleTypes(spaceEvent)) shared.add(type.name);
  }
  const subscriptionType = schema.getSubscriptionType();
  const typeInfo = new TypeInfo(schema);
  let same = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const name = node.name.value;
        if (name === '__typename') return;
        const parent = typeInfo.getParentType();
        const isRoot = parent != null && parent === subscriptionType;
        const allowed = isRoot
          ? SHARED_ROOT_FIELDS.has(name)
          : parent != null && shared.has(getNamedType(parent).name) && !name.startsWith('viewer');
        if (!allowed) same = false;
      },
      OperationDefinition(node) {
        if (node.operation !== 'subscription') same = false;
      },
    }),
  );
  return same;
}

/** One id per parsed document: yoga's parser cache hands out one object per query text. */
const documentIds = new WeakMap<DocumentNode, number>();
let lastDocumentId = 0;
const idOf = (document: DocumentNode) => {
  let id = documentIds.get(document);
  if (id === undefined) {
    id = ++lastDocumentId;
    documentIds.set(document, id);
  }
  return id;
};

/** Whether each document's selection is the same for every viewer, decided once per document. */
const viewerFree = new WeakMap<DocumentNode, boolean>();

/**
 * Results already computed for an event, by who may share them. An event is one object for every
 * subscriber on this instance, so its results go when it does.
 */
const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

function sharingKey(args: ExecutionArgs): string {
  const { schema, document } = args;
  let free = viewerFree.get(document);
  if (free === undefined) {
    free = selectsSameForEveryViewer(schema, document);
    viewerFree.set(document, free);
  }
  const viewer = free ? '*' : ((args.contextValue as Context).viewer?.userId ?? 'guest');
  const variables = JSON.stringify(args.variableValues ?? {});
  return `${idOf(document)}\n${args.operationName ?? ''}\n${variables}\n${viewer}`;
}

const recent: { payload?: object; results?: Map<string, Promise<ExecutionResult>> } = {};

/** Each sharing key's latest result, while it runs: the next event's execution waits for it. */
const latest = new Map<string, Promise<ExecutionResult>>();

/**
 * The result of `payload` for everyone who shares `key`, executed once. Results of one key settle
 * in the order of their events, so whoever writes each one out as it settles (direct-delivery.ts)
 * writes them in order: an event's execution starts once the one before it has settled.
 */
function executeShared(args: ExecutionArgs, key: string, payload: unknown) {
  const run = () => execute({ ...args, rootValue: payload });
  if (typeof payload !== 'object' || payload === null) return Promise.resolve(run());
  // An event reaches its subscribers one after the other: the last event's results come first.
  let byKey = payload === recent.payload ? recent.results : results.get(payload);
  if (!byKey) {
    byKey = new Map();
    results.set(payload, byKey);
  }
  recent.payload = payload;
  recent.results = byKey;
  let result = byKey.get(key);
  if (!result) {
    const previous = latest.get(key);
    const current = previous ? previous.then(run, run) : Promise.resolve(run());
    const settled = () => {
      if (latest.get(key) === current) latest.delete(key);
    };
    void current.then(settled, settled);
    latest.set(key, current);
    byKey.set(key, current);
    result = current;
  }
  return result;
}

/**
 * Executes each subscription event once per distinct operation instead of once per subscriber:
 * subscribers with the same document and variables get the same result, computed for the first
 * of them. Where the selection may depend on who asks (see selectsSameForEveryViewer), only the
 * same viewer's subscriptions share. Each subscriber's source stream is still its own, so what
 * the subscription resolver decides per subscriber (who may hear captions, say) stays theirs.
 * Over a transport that takes results directly (graphql-ws), each result is written out as it
 * settles (direct-delivery.ts); otherwise it flows through the subscription's iterator.
 *
 * Why: graphql-js executes the selection for every subscriber (graphql-js's subscribe maps its
 * source through execute), which made a space event to 10,000 watchers 10,000 executions.
 */
export function useSharedSubscriptionExecution(backlog: SubscriptionBacklog): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const source = await createSourceEventStream(args);
        if (!isAsyncIterable(source)) return source as ExecutionResult;
        const key = sharingKey(args);
        const resultOf = (payload: unknown) => executeShared(args, key, payload);
        const sink = directSinkOf(args.contextValue);
        if (sink && isListenable(source)) {
          return deliverDirectly(source, resultOf, sink, backlog.direct());
        }
        return eventStream(source, { map: resultOf });
      });
    },
  };
}
