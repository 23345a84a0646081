/** Signs up through better-auth's HTTP routes, as the web client does, and returns the cookie. */
export async function signUp(
  baseUrl: string,
  body: { email: string; password: string; name: string; handle: string; image?: string },
) {
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify(body),
  });
  return { response, cookie: sessionCookie(response), body: await response.json() };
}

export async function signIn(baseUrl: string, body: { email: string; password: string }) {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify(body),
  });
  return { response, cookie: sessionCookie(response) };
}

export async function signOut(baseUrl: string, cookie: string) {
  return fetch(`${baseUrl}/api/auth/sign-out`, {
    method: 'POST',
    headers: { cookie, origin: baseUrl, 'content-type': 'application/json' },
    body: '{}',
  });
}

/** The `name=value` pairs a browser would send back, from the Set-Cookie headers. */
function sessionCookie(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');
}

/** Makes fresh sign-up bodies, numbered: `<prefix>1@example.com`, handle `<handlePrefix>_1`. */
export function accountMaker(prefix: string, handlePrefix = prefix) {
  let made = 0;
  return () => {
    made += 1;
    return {
      email: `${prefix}${made}@example.com`,
      password: 'correct horse battery',
      name: `Person ${made}`,
      handle: `${handlePrefix}_${made}`,
    };
  };
}
