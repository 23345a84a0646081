import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { failure, run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { createNow } from '../scheduling/create-now.ts';
import { UpcomingSpaceCard } from '../scheduling/UpcomingSpaceCard.tsx';
import { Avatar } from '../ui/Avatar.tsx';
import { EditProfileForm } from './EditProfileForm.tsx';
import { hostingMessage } from './hosting-message.ts';
import { FollowMutation, ProfileQuery, UnfollowMutation } from './profile.queries.ts';
import './profile.css';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';

export function ProfilePage() {
  const params = useParams<{ handle: string }>();
  const { api, viewer } = useSession();
  const handle = () => params.handle.replace(/^@/, '');
  const [profile, { mutate }] = createResource(handle, async (h) => {
    const data = await run(api, ProfileQuery, { handle: h });
    return data.user;
  });
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [editing, setEditing] = createSignal(false);
  const isSelf = () => viewer()?.id === profile()?.id;
  const now = createNow();

  const toggleFollow = async () => {
    const user = profile();
    if (!user) return;
    setBusy(true);
    setError(null);
    try {
      const result = user.viewerIsFollowing
        ? (await run(api, UnfollowMutation, { userId: user.id })).unfollow
        : (await run(api, FollowMutation, { userId: user.id })).follow;
      const problem = failure(result);
      if (problem) setError(problem);
      else if ('user' in result) mutate({ ...user, ...result.user });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="page narrow">
      <Show when={!profile.loading || profile()} fallback={<div class="card profile skeleton" />}>
        <Show
          when={profile()}
          fallback={
            <div class="card empty-state">
              <h1>@{handle()} not found</h1>
              <A href="/">Back home</A>
            </div>
          }
        >
          {(user) => (
            <article class="card profile">
              <Avatar user={user()} size={96} />
              <h1 class="profile-name">{user().displayName}</h1>
              <p class="muted">@{user().handle}</p>
              <dl class="profile-stats">
                <div>
                  <dt>Followers</dt>
                  <dd data-testid="follower-count">{user().followerCount}</dd>
                </div>
                <div>
                  <dt>Following</dt>
                  <dd>{user().followingCount}</dd>
                </div>
              </dl>
              <Show when={viewer() && !isSelf()}>
                <button
                  type="button"
                  class={`button ${user().viewerIsFollowing ? 'ghost' : 'primary'}`}
                  aria-pressed={user().viewerIsFollowing}
                  disabled={busy()}
                  onClick={toggleFollow}
                >
                  {user().viewerIsFollowing ? 'Following' : 'Follow'}
                </button>
              </Show>
              <Show when={!viewer() && !viewer.loading}>
                <A class="button primary" href={`/signin?next=/@${user().handle}`}>
                  Sign in to follow
                </A>
              </Show>
              <Show when={isSelf()}>
                <p
                  class={`alert ${user().hosting.eligible ? 'success' : 'info'}`}
                  data-testid="hosting-eligibility"
                >
                  {hostingMessage(user().hosting)}
                </p>
                <Show
                  when={editing()}
                  fallback={
                    <button type="button" class="button ghost" onClick={() => setEditing(true)}>
                      Edit profile
                    </button>
                  }
                >
                  <EditProfileForm
                    profile={user()}
                    onDone={(saved) => {
                      setEditing(false);
                      if (saved) mutate({ ...user(), ...saved });
                    }}
                  />
                </Show>
              </Show>
              <ErrorMessage message={error()} />
            </article>
          )}
        </Show>
        <Show when={(profile()?.upcomingSpaces.edges.length ?? 0) > 0}>
          <section class="profile-upcoming" aria-labelledby="profile-upcoming-title">
            <h2 id="profile-upcoming-title">Upcoming spaces</h2>
            <ul class="space-grid">
              <For each={profile()?.upcomingSpaces.edges}>
                {(edge) => <UpcomingSpaceCard space={edge.node} now={now()} />}
              </For>
            </ul>
          </section>
        </Show>
      </Show>
    </section>
  );
}
