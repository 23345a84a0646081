import { Route, Router } from '@solidjs/router';
import { ErrorBoundary, lazy, type ParentProps } from 'solid-js';
import type { Api } from '../api/graphql-client.ts';
import { SignInPage } from '../auth/SignInPage.tsx';
import { SignUpPage } from '../auth/SignUpPage.tsx';
import { HomePage } from '../home/HomePage.tsx';
import { NotificationProvider } from '../notifications/NotificationCenter.tsx';
import { NotificationsPage } from '../notifications/NotificationsPage.tsx';
import { CheckoutReturnPage } from '../tickets/CheckoutReturnPage.tsx';
import { MyTicketsPage } from '../tickets/MyTicketsPage.tsx';
import { ProfilePage } from '../users/ProfilePage.tsx';
import { Header } from './Header.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { PageError } from './PageError.tsx';
import { SessionProvider } from './session.tsx';

// The space view carries the media module (WebRTC, simple-peer): load it only when needed.
const SpacePage = lazy(() =>
  import('../spaces/room/SpacePage.tsx').then((m) => ({ default: m.SpacePage })),
);

/**
 * Loads the room's code ahead of a click on a space, so the click opens the room instead of
 * waiting for its files (bench/join saw them take ~110 ms of a listener's first audio).
 */
export function preloadSpacePage() {
  void SpacePage.preload();
}

const ClipPage = lazy(() =>
  import('../recordings/ClipPage.tsx').then((m) => ({ default: m.ClipPage })),
);
const StartSpacePage = lazy(() =>
  import('../spaces/start/StartSpacePage.tsx').then((m) => ({ default: m.StartSpacePage })),
);

function Shell(props: ParentProps) {
  return (
    <NotificationProvider>
      <div class="shell">
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <Header />
        <main id="main" class="main" tabindex="-1">
          <ErrorBoundary fallback={(error, reset) => <PageError error={error} reset={reset} />}>
            {props.children}
          </ErrorBoundary>
        </main>
      </div>
    </NotificationProvider>
  );
}

export function App(props: { api?: Api }) {
  return (
    <SessionProvider api={props.api}>
      <Router root={Shell}>
        <Route path="/" component={HomePage} />
        <Route path="/signin" component={SignInPage} />
        <Route path="/signup" component={SignUpPage} />
        <Route path="/start" component={StartSpacePage} />
        <Route path="/notifications" component={NotificationsPage} />
        <Route path="/tickets" component={MyTicketsPage} />
        <Route path="/tickets/return" component={CheckoutReturnPage} />
        <Route path="/spaces/:id" component={SpacePage} />
        <Route path="/clips/:id" component={ClipPage} />
        <Route path="/:handle" matchFilters={{ handle: /^@[\w.-]+$/ }} component={ProfilePage} />
        <Route path="*" component={NotFoundPage} />
      </Router>
    </SessionProvider>
  );
}
