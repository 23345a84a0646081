import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MicPromptBanner } from './MicPromptBanner.tsx';

afterEach(cleanup);

describe('MicPromptBanner', () => {
  it('says "You are muted" in words, as a status screen readers announce', () => {
    render(() => <MicPromptBanner prompt={{ kind: 'muted' }} onAllow={() => {}} />);
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('You are muted.');
    expect(status.textContent).toContain('until you press Unmute');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('offers to allow the microphone again, with the reason it failed', () => {
    const onAllow = vi.fn();
    render(() => (
      <MicPromptBanner
        prompt={{ kind: 'failed', reason: 'Microphone access was blocked.' }}
        onAllow={onAllow}
      />
    ));
    expect(screen.getByRole('status').textContent).toContain('Microphone access was blocked.');
    fireEvent.click(screen.getByRole('button', { name: 'Allow microphone' }));
    expect(onAllow).toHaveBeenCalledOnce();
  });
});
