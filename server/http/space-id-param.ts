import { decodeGlobalID } from '@pothos/plugin-relay';

/** The database id in a URL's Space global id, or null for anything else. */
export function spaceIdOf(encoded: string): string | null {
  try {
    const { typename, id } = decodeGlobalID(decodeURIComponent(encoded));
    return typename === 'Space' && id ? id : null;
  } catch {
    return null;
  }
}
