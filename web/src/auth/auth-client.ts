/** better-auth's email routes; the session is an httpOnly cookie the browser keeps. */
export type AuthResult = { ok: true } | { ok: false; message: string };

async function post(path: string, body: unknown): Promise<AuthResult> {
  try {
    const response = await fetch(`/api/auth/${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.ok) return { ok: true };
    const payload = (await response.json().catch(() => ({}))) as { message?: string };
    return { ok: false, message: payload.message ?? `Request failed (${response.status})` };
  } catch {
    return { ok: false, message: 'Could not reach Amphi. Check your connection.' };
  }
}

export const signUp = (input: { email: string; password: string; name: string; handle: string }) =>
  post('sign-up/email', input);

export const signIn = (input: { email: string; password: string }) => post('sign-in/email', input);

export const signOut = () => post('sign-out', {});
