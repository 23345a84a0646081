/**
 * Asks once for permission to show system notifications; asked from a click (setting a
 * reminder), since browsers ignore or penalise permission prompts without a user gesture.
 */
export async function askForBrowserNotifications(): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  try {
    await Notification.requestPermission();
  } catch {
    // Old Safari takes a callback instead; in-page toasts still work without it.
  }
}

/**
 * Shows a system notification when the page is in the background and permission was given;
 * `onOpen` runs when the person clicks it. Returns whether one was shown.
 */
export function showBrowserNotification(
  title: string,
  body: string,
  tag: string,
  onOpen: () => void,
): boolean {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false;
  if (document.visibilityState === 'visible' && document.hasFocus()) return false;
  const notification = new Notification(title, { body, tag });
  notification.onclick = () => {
    window.focus();
    onOpen();
    notification.close();
  };
  return true;
}
