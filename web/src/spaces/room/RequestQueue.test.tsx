import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestQueue, type SpeakerRequest } from './RequestQueue.tsx';

afterEach(cleanup);

const request = (n: number): SpeakerRequest => ({
  id: `p${n}`,
  user: { id: `u${n}`, handle: `person${n}`, displayName: `Person ${n}` },
});

describe('RequestQueue', () => {
  it('lists raised hands oldest first', () => {
    render(() => (
      <RequestQueue requests={[request(1), request(2)]} onAccept={vi.fn()} onDecline={vi.fn()} />
    ));
    const rows = screen.getAllByTestId('speaker-request');
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringContaining('Person 1'),
      expect.stringContaining('Person 2'),
    ]);
    expect(screen.getByRole('heading', { name: /Requests to speak/ }).textContent).toContain('2');
  });

  it('accepts and declines by user id, one answer at a time per person', async () => {
    let finish: () => void = () => {};
    const onAccept = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const onDecline = vi.fn(async () => {});
    render(() => (
      <RequestQueue requests={[request(1), request(2)]} onAccept={onAccept} onDecline={onDecline} />
    ));
    const accept = screen.getByRole('button', { name: 'Accept Person 1' }) as HTMLButtonElement;
    fireEvent.click(accept);
    expect(onAccept).toHaveBeenCalledWith('u1');
    expect(accept.disabled).toBe(true);
    expect(
      (screen.getByRole('button', { name: 'Decline Person 1' }) as HTMLButtonElement).disabled,
    ).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Decline Person 2' }));
    expect(onDecline).toHaveBeenCalledWith('u2');
    finish();
    await vi.waitFor(() => expect(accept.disabled).toBe(false));
  });

  it('says so when nobody has raised a hand', () => {
    render(() => <RequestQueue requests={[]} onAccept={vi.fn()} onDecline={vi.fn()} />);
    expect(screen.getByText(/No raised hands/)).toBeTruthy();
    expect(screen.queryAllByTestId('speaker-request')).toHaveLength(0);
  });
});
