import {
  createContext,
  createResource,
  type ParentProps,
  type Resource,
  useContext,
} from 'solid-js';
import { graphql, type ResultOf } from '../api/graphql.ts';
import { type Api, connectApi } from '../api/graphql-client.ts';
import { run } from '../api/typed-api.ts';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      user {
        id
        handle
        displayName
        avatarUrl
        followerCount
        hosting { eligible followers requiredFollowers missingFollowers }
      }
    }
  }
`);

export type ViewerUser = NonNullable<ResultOf<typeof ViewerQuery>['viewer']>['user'];

export type Session = {
  api: Api;
  /** The signed-in user, null when signed out. */
  viewer: Resource<ViewerUser | null>;
  refreshViewer(): void;
};

const SessionContext = createContext<Session>();

/**
 * Provides the page's one graphql-ws connection. Signing in or out reloads the page, so the
 * socket always carries the current session cookie.
 */
export function SessionProvider(props: ParentProps<{ api?: Api }>) {
  const api = props.api ?? connectApi();
  const [viewer, { refetch }] = createResource(async () => {
    // One retry rides out a socket reconnecting; after that the page works signed out.
    for (let attempt = 0; ; attempt++) {
      try {
        const data = await run(api, ViewerQuery);
        return data.viewer?.user ?? null;
      } catch (error) {
        if (attempt >= 1) {
          console.error('could not read the signed-in user', error);
          return null;
        }
      }
    }
  });
  const session: Session = { api, viewer, refreshViewer: () => void refetch() };
  return <SessionContext.Provider value={session}>{props.children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
