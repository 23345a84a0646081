import type { ApiToken as ApiTokenRecord } from '../../prisma/generated/client/client.ts';
import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import { hostingEligibility } from '../spaces/hosting-eligibility.ts';

const HostingEligibility = builder
  .objectRef<ReturnType<typeof hostingEligibility>>('HostingEligibility')
  .implement({
    description: 'Whether a user has the followers hosting needs, and how many are missing.',
    fields: (t) => ({
      eligible: t.exposeBoolean('eligible'),
      requiredFollowers: t.exposeInt('requiredFollowers'),
      followers: t.exposeInt('followers'),
      missingFollowers: t.exposeInt('missingFollowers'),
    }),
  });

export const User = builder.prismaNode('User', {
  id: { field: 'id' },
  fields: (t) => ({
    handle: t.exposeString('handle'),
    displayName: t.exposeString('name'),
    avatarUrl: t.exposeString('image', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    followerCount: t.relationCount('followers'),
    followingCount: t.relationCount('following'),
    followers: t.prismaConnection({
      type: 'User',
      cursor: 'id',
      description: 'People who follow this user.',
      resolve: (query, user, _args, ctx) =>
        ctx.prisma.user.findMany({
          ...query,
          where: { following: { some: { followeeId: user.id } } },
        }),
    }),
    following: t.prismaConnection({
      type: 'User',
      cursor: 'id',
      description: 'People this user follows.',
      resolve: (query, user, _args, ctx) =>
        ctx.prisma.user.findMany({
          ...query,
          where: { followers: { some: { followerId: user.id } } },
        }),
    }),
    viewerIsFollowing: t.boolean({
      description: 'Whether the caller follows this user; false when signed out.',
      resolve: (user, _args, ctx) =>
        ctx.viewer ? ctx.services.follows.isFollowing(ctx.viewer.userId, user.id) : false,
    }),
    hosting: t.field({
      type: HostingEligibility,
      args: { ticketed: t.arg.boolean({ defaultValue: false }) },
      resolve: async (user, args, ctx) =>
        hostingEligibility(
          await ctx.services.follows.followerCount(user.id),
          ctx.services.config.hosting,
          args.ticketed ?? false,
        ),
    }),
  }),
});

builder.queryField('user', (t) =>
  t.prismaField({
    type: 'User',
    nullable: true,
    args: { handle: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.user.findUnique({ ...query, where: { handle: args.handle.toLowerCase() } }),
  }),
);

type ViewerShape = { userId: string };

const ApiToken = builder.prismaObject('ApiToken', {
  description: 'A personal API token; its secret is shown once, when it is created.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the token last authenticated a request, to the minute.',
    }),
  }),
});

export const Viewer = builder.objectRef<ViewerShape>('Viewer').implement({
  description: 'The signed-in caller, with what only they may see.',
  fields: (t) => ({
    user: t.prismaField({
      type: 'User',
      resolve: (query, viewer, _args, ctx) =>
        ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: viewer.userId } }),
    }),
    email: t.string({
      resolve: async (viewer, _args, ctx) =>
        (await ctx.prisma.user.findUniqueOrThrow({ where: { id: viewer.userId } })).email,
    }),
    apiTokens: t.field({
      type: [ApiToken],
      resolve: (viewer, _args, ctx) => ctx.services.apiTokens.list(viewer.userId),
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: Viewer,
    nullable: true,
    description: 'The caller, or null when signed out.',
    resolve: (_root, _args, ctx) => (ctx.viewer ? { userId: ctx.viewer.userId } : null),
  }),
);

const CreatedApiToken = builder
  .objectRef<{ token: ApiTokenRecord; secret: string }>('CreatedApiToken')
  .implement({
    fields: (t) => ({
      token: t.field({ type: ApiToken, resolve: (created) => created.token }),
      secret: t.exposeString('secret', {
        description: 'Send as `Authorization: Bearer <secret>`. It is not shown again.',
      }),
    }),
  });

builder.mutationField('createApiToken', (t) =>
  t.field({
    type: CreatedApiToken,
    description: 'Creates a personal API token for scripts and third-party clients.',
    args: { name: t.arg.string({ required: true }) },
    errors: { dataField: { name: 'created' } },
    resolve: (_root, args, ctx) =>
      ctx.services.apiTokens.create(requireViewer(ctx).userId, args.name),
  }),
);

builder.mutationField('revokeApiToken', (t) =>
  t.field({
    type: ApiToken,
    args: { id: t.arg.id({ required: true }) },
    errors: { dataField: { name: 'token' } },
    resolve: (_root, args, ctx) =>
      ctx.services.apiTokens.revoke(requireViewer(ctx).userId, String(args.id)),
  }),
);

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  fields: (t) => ({
    displayName: t.string({ description: '1 to 50 characters.' }),
    avatarUrl: t.string({ description: 'An http(s) URL, or empty to remove the avatar.' }),
  }),
});

builder.mutationField('updateProfile', (t) =>
  t.field({
    type: User,
    description: "Changes the caller's display name or avatar; omitted fields stay as they are.",
    args: { input: t.arg({ type: UpdateProfileInput, required: true }) },
    errors: { dataField: { name: 'user' } },
    resolve: (_root, { input }, ctx) =>
      ctx.services.profiles.update(requireViewer(ctx).userId, input),
  }),
);
