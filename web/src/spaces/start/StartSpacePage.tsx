import { A, useNavigate } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { run } from '../../api/typed-api.ts';
import { useSession } from '../../app/session.tsx';
import { createMicrophone } from '../../audio/create-microphone.ts';
import { DevicePicker } from '../../audio/DevicePicker.tsx';
import { LevelMeter } from '../../audio/LevelMeter.tsx';
import { StartTimeField } from '../../scheduling/StartTimeField.tsx';
import { ScheduleSpaceMutation } from '../../scheduling/scheduling.queries.ts';
import { fromLocalInput, toLocalInput } from '../../scheduling/start-time.ts';
import { parsePrice } from '../../tickets/money.ts';
import { type TicketOfferDraft, TicketOfferFields } from '../../tickets/TicketOfferFields.tsx';
import { ScheduleTicketedSpaceMutation } from '../../tickets/tickets.queries.ts';
import { MicIcon } from '../../ui/icons.tsx';
import { hostingMessage } from '../../users/hosting-message.ts';
import { createSpaceError, parseTopics } from './create-space-error.ts';
import { RecordField } from './RecordField.tsx';
import { CreateSpaceMutation } from './start.queries.ts';
import './start.css';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

const WHEN_CHOICES = [
  { value: 'now', label: 'Start now' },
  { value: 'later', label: 'Schedule for later' },
] as const;

function nextFullHour(): Date {
  const date = new Date(Date.now() + 60 * 60_000);
  date.setMinutes(0, 0, 0);
  return date;
}

export function StartSpacePage() {
  const { api, viewer } = useSession();
  const navigate = useNavigate();
  const mic = createMicrophone();
  const [title, setTitle] = createSignal('');
  const [topics, setTopics] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [when, setWhen] = createSignal<'now' | 'later'>('now');
  const [startAt, setStartAt] = createSignal(toLocalInput(nextFullHour()));
  const [ticketed, setTicketed] = createSignal(false);
  const [record, setRecord] = createSignal(false);
  const [offer, setOffer] = createSignal<TicketOfferDraft>({
    price: '',
    currency: 'usd',
    seats: '100',
  });

  const create = async () => {
    const input = { title: title().trim(), topics: parseTopics(topics()) };
    if (when() === 'now') {
      if (!mic.track()) return 'Check your microphone before going live.';
      return (await run(api, CreateSpaceMutation, { input: { ...input, record: record() } }))
        .createSpace;
    }
    const scheduledStart = fromLocalInput(startAt());
    if (!scheduledStart) return 'Pick a date and time.';
    const scheduled = { ...input, scheduledStart: scheduledStart.toISOString() };
    if (!ticketed()) {
      return (await run(api, ScheduleSpaceMutation, { input: scheduled })).scheduleSpace;
    }
    const priceMinor = parsePrice(offer().price);
    if (priceMinor === null) return 'Enter a price, like 5 or 12.50.';
    const { scheduleTicketedSpace } = await run(api, ScheduleTicketedSpaceMutation, {
      input: {
        ...scheduled,
        priceMinor,
        currency: offer().currency,
        seats: Number(offer().seats),
        // Sales run until the space starts.
        salesEndAt: scheduled.scheduledStart,
      },
    });
    return scheduleTicketedSpace;
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const result = await create();
      if (typeof result === 'string') return void setError(result);
      if ('space' in result) return navigate(`/spaces/${result.space.id}`);
      setError(createSpaceError(result as Parameters<typeof createSpaceError>[0]));
    } catch {
      setError('Could not create the space. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="page narrow">
      <Show
        when={viewer() || viewer.loading}
        fallback={
          <div class="card empty-state">
            <h1>Host a space</h1>
            <p class="muted">Sign in to start a live audio room.</p>
            <A class="button primary" href="/signin?next=/start">
              Sign in
            </A>
          </div>
        }
      >
        <form class="card form" onSubmit={submit} aria-labelledby="start-title">
          <h1 id="start-title">Start a space</h1>
          <fieldset class="when-choice">
            <legend class="visually-hidden">When</legend>
            <For each={WHEN_CHOICES}>
              {(choice) => (
                <label>
                  <input
                    type="radio"
                    name="when"
                    value={choice.value}
                    checked={when() === choice.value}
                    onChange={() => setWhen(choice.value)}
                  />
                  <span>{choice.label}</span>
                </label>
              )}
            </For>
          </fieldset>
          <Show when={viewer()?.hosting}>
            {(hosting) => (
              <Show when={!hosting().eligible}>
                <p class="alert info" data-testid="hosting-eligibility">
                  {hostingMessage(hosting())}
                </p>
              </Show>
            )}
          </Show>
          <label class="field">
            <span>Title</span>
            <input
              name="title"
              required
              maxlength="100"
              placeholder="What do you want to talk about?"
              value={title()}
              onInput={(event) => setTitle(event.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>
              Topics <span class="muted">(up to 3, separated by commas)</span>
            </span>
            <input
              name="topics"
              placeholder="music, tech, design"
              value={topics()}
              onInput={(event) => setTopics(event.currentTarget.value)}
            />
          </label>
          <Show when={when() === 'later'}>
            <StartTimeField value={startAt()} onChange={setStartAt} />
            <label class="check-field">
              <input
                type="checkbox"
                name="ticketed"
                checked={ticketed()}
                onChange={(event) => setTicketed(event.currentTarget.checked)}
              />
              <span>Sell tickets</span>
            </label>
            <Show when={ticketed()}>
              <TicketOfferFields draft={offer()} onChange={setOffer} />
              <p class="muted">
                Buyers pay through Stripe Checkout; only ticket holders get in. Canceling refunds
                everyone.
              </p>
            </Show>
            <p class="muted">
              People can set a reminder; they are told when you start. You are reminded 30 minutes
              before.
            </p>
          </Show>
          <Show when={when() === 'now'}>
            <RecordField checked={record()} onChange={setRecord} />
            <fieldset class="mic-check">
              <legend>Microphone check</legend>
              <Show
                when={mic.track()}
                fallback={
                  <div class="mic-check-row">
                    <p class="muted">Amphi needs your microphone so people can hear you.</p>
                    <button
                      type="button"
                      class="button"
                      disabled={mic.starting()}
                      onClick={() => void mic.start()}
                    >
                      <MicIcon /> Allow microphone
                    </button>
                  </div>
                }
              >
                <p class="muted">Say something — the bar should move.</p>
                <LevelMeter level={mic.level()} label="Microphone level" />
                <DevicePicker mic={mic} id="start-mic" />
              </Show>
              <ErrorMessage message={mic.error()} />
            </fieldset>
          </Show>
          <ErrorMessage message={error()} testId="start-error" />
          <Show
            when={when() === 'now'}
            fallback={
              <button
                class="button primary block"
                type="submit"
                disabled={busy() || !title().trim()}
              >
                {busy() ? 'Scheduling…' : 'Schedule space'}
              </button>
            }
          >
            <button
              class="button primary block live"
              type="submit"
              disabled={busy() || !title().trim()}
            >
              <span class="live-dot" aria-hidden="true" /> {busy() ? 'Going live…' : 'Go live'}
            </button>
          </Show>
        </form>
      </Show>
    </section>
  );
}
