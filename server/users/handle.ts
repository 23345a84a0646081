import { z } from 'zod';
import { visibleText } from '../text/visible-text.ts';

/** A handle as people type it after "@": letters, digits and underscores, like X's. */
export const handleSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_]{3,30}$/, '3 to 30 letters, digits or underscores')
  .transform((handle) => handle.toLowerCase());

export const displayNameSchema = visibleText(50);

export const avatarUrlSchema = z.url({ protocol: /^https?$/ }).max(500);
