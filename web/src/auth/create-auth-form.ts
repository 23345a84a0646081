import { useSearchParams } from '@solidjs/router';
import { createSignal } from 'solid-js';
import type { AuthResult } from './auth-client.ts';
import { safeNext } from './safe-next.ts';

/**
 * What the sign-in and sign-up forms share: busy while the request runs, its error, and then a
 * full load of where the visitor was going (it reconnects the API socket with the new cookie).
 */
export function createAuthForm(send: (form: FormData) => Promise<AuthResult>) {
  const [params] = useSearchParams();
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  /** Where to go after signing in: the page that sent the visitor here, if it is ours. */
  const next = () => safeNext(params['next']);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await send(new FormData(event.currentTarget as HTMLFormElement));
    setBusy(false);
    if (!result.ok) return void setError(result.message);
    location.assign(next());
  };
  return { error, busy, submit, next };
}
