import type { Context, Viewer } from './context.ts';
import { NotAuthenticated } from './errors.ts';

export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw new NotAuthenticated();
  return ctx.viewer;
}
