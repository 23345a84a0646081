import { A } from '@solidjs/router';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { signIn } from './auth-client.ts';
import { createAuthForm } from './create-auth-form.ts';

export function SignInPage() {
  const { error, busy, submit, next } = createAuthForm((form) =>
    signIn({ email: String(form.get('email')), password: String(form.get('password')) }),
  );
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
          New to Amphi? <A href={`/signup?next=${encodeURIComponent(next())}`}>Create an account</A>
        </p>
      </form>
    </section>
  );
}
