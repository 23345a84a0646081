import { A } from '@solidjs/router';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { signUp } from './auth-client.ts';
import { createAuthForm } from './create-auth-form.ts';

export function SignUpPage() {
  const { error, busy, submit, next } = createAuthForm((form) =>
    signUp({
      name: String(form.get('name')).trim(),
      handle: String(form.get('handle')).trim().replace(/^@/, ''),
      email: String(form.get('email')).trim(),
      password: String(form.get('password')),
    }),
  );
  return (
    <section class="page narrow">
      <form class="card form" onSubmit={submit} aria-labelledby="signup-title">
        <h1 id="signup-title">Join Amphi</h1>
        <p class="muted">Listen, speak and host live audio rooms.</p>
        <label class="field">
          <span>Name</span>
          <input name="name" autocomplete="name" required maxlength="50" />
        </label>
        <label class="field">
          <span>Handle</span>
          <span class="input-prefix">
            <span aria-hidden="true">@</span>
            <input
              name="handle"
              autocomplete="username"
              required
              pattern="@?[A-Za-z0-9_]{3,30}"
              title="3 to 30 letters, digits or underscores"
            />
          </span>
        </label>
        <label class="field">
          <span>Email</span>
          <input name="email" type="email" autocomplete="email" required />
        </label>
        <label class="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autocomplete="new-password"
            minlength="8"
            required
          />
        </label>
        <ErrorMessage message={error()} />
        <button class="button primary block" type="submit" disabled={busy()}>
          {busy() ? 'Creating account…' : 'Create account'}
        </button>
        <p class="muted center">
          Already have an account?{' '}
          <A href={`/signin?next=${encodeURIComponent(next())}`}>Sign in</A>
        </p>
      </form>
    </section>
  );
}
