import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { signOut } from '../auth/auth-client.ts';
import { useNotifications } from '../notifications/NotificationCenter.tsx';
import { Avatar } from '../ui/Avatar.tsx';
import { BellIcon, LeaveIcon, PlusIcon, TicketIcon } from '../ui/icons.tsx';
import { useSession } from './session.tsx';

export function Header() {
  const { viewer } = useSession();
  const { unread } = useNotifications();
  const leave = async () => {
    await signOut();
    location.assign('/');
  };
  return (
    <header class="header">
      <A href="/" class="brand" aria-label="Amphi home">
        <span class="brand-mark" aria-hidden="true">
          ◐
        </span>
        Amphi
      </A>
      <nav class="header-nav" aria-label="Account">
        <Show when={!viewer.loading}>
          <Show
            when={viewer()}
            fallback={
              <>
                <A href="/signin" class="button ghost">
                  Sign in
                </A>
                <A href="/signup" class="button primary">
                  Sign up
                </A>
              </>
            }
          >
            {(user) => (
              <>
                <A href="/start" class="button primary" aria-label="Start a space">
                  <PlusIcon /> <span class="wide-only">Start a space</span>
                </A>
                <A href="/tickets" class="button ghost" aria-label="My tickets">
                  <TicketIcon size={18} /> <span class="wide-only">Tickets</span>
                </A>
                <A
                  href="/notifications"
                  class="icon-button bell-link"
                  aria-label={unread() > 0 ? `Notifications, ${unread()} unread` : 'Notifications'}
                >
                  <BellIcon />
                  <Show when={unread() > 0}>
                    <span class="unread-badge" aria-hidden="true" data-testid="unread-count">
                      {unread() > 99 ? '99+' : unread()}
                    </span>
                  </Show>
                </A>
                <A href={`/@${user().handle}`} class="header-profile" aria-label="Your profile">
                  <Avatar user={user()} size={36} />
                </A>
                <button type="button" class="button ghost" aria-label="Sign out" onClick={leave}>
                  <LeaveIcon size={18} /> <span class="wide-only">Sign out</span>
                </button>
              </>
            )}
          </Show>
        </Show>
      </nav>
    </header>
  );
}
