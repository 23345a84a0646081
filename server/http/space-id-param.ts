import { decodeGlobalID } from '@pothos/plugin-relay';
import { normalizeText } from '../text/text-rules.ts';

/** The database id in a URL's Space global id, or null for anything else. */
export function spaceIdOf(encoded: string): string | null {
  try {
    const { typename, id } = decodeGlobalID(decodeURIComponent(encoded));
    // An id PostgreSQL cannot hold (NUL) finds nothing, like any other unknown id.
    return typename === 'Space' && id && normalizeText(id).ok ? id : null;
  } catch {
    return null;
  }
}
