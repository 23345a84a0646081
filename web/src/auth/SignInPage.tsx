import { A, useSearchParams } from '@solidjs/router';
import { createSignal } from 'solid-js';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { signIn } from './auth-client.ts';
import { safeNext } from './safe-next.ts';

export function SignInPage() {
  const [params] = useSearchParams();
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    const result = await signIn({
      email: String(form.get('email')),
      password: String(form.get('password')),
    });
    setBusy(false);
    if (!result.ok) return void setError(result.message);
    // A full load reconnects the API socket with the new session cookie.
    location.assign(safeNext(params['next']));
  };
  return (
    <section class="page narrow">
      <form class="card form" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Welcome back</h1>
        <label class="field">
          <span>Email</span>
          <input name="email" type="email" autocomplete="email" required />
        </label>
        <label class="field">
          <span>Password</span>
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <ErrorMessage message={error()} />
        <button class="button primary block" type="submit" disabled={busy()}>
          {busy() ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="muted center">
          New to Amphi?{' '}
          <A href={`/signup?next=${encodeURIComponent(safeNext(params['next']))}`}>
            Create an account
          </A>
        </p>
      </form>
    </section>
  );
}
