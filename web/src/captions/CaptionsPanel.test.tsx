import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CaptionBar } from './CaptionBar.tsx';
import { CaptionsPanel } from './CaptionsPanel.tsx';

afterEach(cleanup);

describe('CaptionsPanel', () => {
  it('lets the host team turn captions on, telling them speakers will be told', () => {
    const onSwitch = vi.fn();
    render(() => (
      <CaptionsPanel
        captionsOn={false}
        canSwitch
        shown
        onToggleShown={vi.fn()}
        onSwitch={onSwitch}
      />
    ));
    expect(screen.getByText(/Speakers will be told/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Hide captions' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Turn captions on' }));
    expect(onSwitch).toHaveBeenCalledWith(true);
  });

  it('gives everyone else only the choice to hide or show them', () => {
    const onToggleShown = vi.fn();
    render(() => (
      <CaptionsPanel
        captionsOn
        canSwitch={false}
        shown
        onToggleShown={onToggleShown}
        onSwitch={vi.fn()}
      />
    ));
    expect(screen.queryByRole('button', { name: /Turn captions/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Hide captions' }));
    expect(onToggleShown).toHaveBeenCalled();
  });
});

describe('CaptionBar', () => {
  it('shows each line with its speaker, marking words still being recognised', () => {
    render(() => (
      <CaptionBar
        lines={[
          { participantId: 'p1', text: 'hello everyone', final: true },
          { participantId: 'p2', text: 'good mor', final: false },
        ]}
        nameOf={(id) => (id === 'p1' ? 'Ann' : 'Bob')}
      />
    ));
    const lines = screen.getAllByTestId('caption-line');
    expect(lines.map((line) => line.textContent)).toEqual(['Ann: hello everyone', 'Bob: good mor']);
    expect(lines.map((line) => line.classList.contains('partial'))).toEqual([false, true]);
    expect(screen.queryByTestId('captions-degraded')).toBeNull();
  });

  it('tells viewers when captions run behind', () => {
    render(() => (
      <CaptionBar
        lines={[{ participantId: 'p1', text: 'we will meet', final: false, degraded: true }]}
        nameOf={() => 'Ann'}
      />
    ));
    expect(screen.getByTestId('captions-degraded').textContent).toContain('running behind');
  });
});
