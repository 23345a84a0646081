import { A, useNavigate } from '@solidjs/router';
import { createEffect, createSignal, For, on, Show, untrack } from 'solid-js';
import { openMeshInbox } from '../../api/mesh-inbox.ts';
import { run } from '../../api/typed-api.ts';
import { useSession } from '../../app/session.tsx';
import { createMicrophone } from '../../audio/create-microphone.ts';
import { createRoomAudio } from '../../audio/create-room-audio.ts';
import { DevicePicker } from '../../audio/DevicePicker.tsx';
import { LevelMeter } from '../../audio/LevelMeter.tsx';
import { BroadcastQuery } from '../../broadcast/broadcast.queries.ts';
import { chooseListening, type ListeningMode } from '../../broadcast/listening-choice.ts';
import { CaptionBar } from '../../captions/CaptionBar.tsx';
import { CaptionsPanel } from '../../captions/CaptionsPanel.tsx';
import { SetSpaceCaptions } from '../../captions/captions.queries.ts';
import '../../captions/captions.css';
import { VolumeIcon } from '../../ui/icons.tsx';
import { audioRoomBeforeRead } from './audio-before-read.ts';
import { ClosedNotice } from './ClosedNotice.tsx';
import { ControlBar } from './ControlBar.tsx';
import { createSpaceLive, type SpaceOpening, type SpaceParticipant } from './create-space-live.ts';
import type { StartedJoin } from './early-join.ts';
import { InvitationAlerts } from './InvitationAlerts.tsx';
import { ListenerList } from './ListenerList.tsx';
import { MicPromptBanner } from './MicPromptBanner.tsx';
import { micPrompt } from './mic-prompt.ts';
import {
  availableActions,
  confirmationFor,
  isHostTeam,
  type ParticipantAction,
} from './participant-actions.ts';
import { RequestQueue } from './RequestQueue.tsx';
import { ShareButton } from './ShareButton.tsx';
import { SpaceHeader } from './SpaceHeader.tsx';
import { SpeakerTile } from './SpeakerTile.tsx';
import { ListenersQuery } from './space.queries.ts';
import { spaceActions } from './space-actions.ts';
import './space.css';

const SPEAKING_LEVEL = 0.03;

/** The media module's name for someone listening without an account. */
const GUEST = 'guest';

/** A live space: the stage, listeners, controls and audio, kept current by its events. */
export function SpaceRoom(props: {
  spaceId: string;
  signedIn: boolean;
  /** The space as the page read it: the audio starts from it and the join's answer. */
  opening: SpaceOpening;
  /** The join the page sent as it opened, if no room took it up yet. */
  early: StartedJoin | null;
}) {
  const { api, viewer } = useSession();
  const navigate = useNavigate();
  const spaceId = props.spaceId;
  const opening = props.opening;
  const early = props.early?.take() ?? null;
  // Before joining: the stage's answers to offers that go with a join reach us as they are sent.
  // A space on the relay never goes back to the mesh: it has none.
  const onMesh = opening.space.mediaMode !== 'RELAY';
  const inbox = early ? early.inbox : props.signedIn && onMesh ? openMeshInbox(api, spaceId) : null;
  const live = createSpaceLive(api, spaceId, {
    join: props.signedIn,
    viewerUserId: () => viewer()?.id,
    firstJoin: early?.outcome,
  });
  const audio = createRoomAudio(api, spaceId, inbox);
  const mic = createMicrophone();
  const [notice, setNotice] = createSignal<string | null>(null);
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  const notify = (message: string) => {
    setNotice(message);
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => setNotice(null), 6000);
  };
  const actions = spaceActions(api, spaceId, notify);
  // Read when the room first shows captions, not as it opens: a page's first localStorage read
  // waits for the storage to load (2-11 ms in Chromium), on the way to the first audio.
  const [chosenCaptionsShown, setCaptionsShown] = createSignal<boolean>();
  const captionsShown = () =>
    chosenCaptionsShown() ?? localStorage.getItem('amphi.captions') !== 'hidden';
  const toggleCaptionsShown = () => {
    const shown = !captionsShown();
    setCaptionsShown(shown);
    localStorage.setItem('amphi.captions', shown ? 'shown' : 'hidden');
  };
  const switchCaptions = async (on: boolean) => {
    const { setSpaceCaptions: result } = await run(api, SetSpaceCaptions, { spaceId, on });
    if (!result.__typename.endsWith('Success')) {
      notify('message' in result ? result.message : 'Captions could not be changed.');
    }
    live.refresh();
  };
  const speakerName = (participantId: string) =>
    live.space()?.stage.find((participant) => participant.id === participantId)?.user.displayName ??
    'Speaker';

  const me = () => live.space()?.viewerParticipant ?? null;
  const onStage = () => (me()?.role ?? 'LISTENER') !== 'LISTENER';
  const [unmutedOnce, setUnmutedOnce] = createSignal(false);
  createEffect(() => {
    if (!onStage()) setUnmutedOnce(false);
    else if (me()?.muted === false) setUnmutedOnce(true);
  });
  const prompt = () =>
    micPrompt({
      onStage: onStage() && !live.closed(),
      muted: me()?.muted ?? true,
      micReady: Boolean(mic.track()),
      starting: mic.starting(),
      error: mic.error(),
      unmutedOnce: unmutedOnce(),
    });
  const viewerRole = () => {
    const self = me();
    const userId = viewer()?.id;
    return self && userId ? { role: self.role, userId } : null;
  };
  const actionsFor = (participant: SpaceParticipant) =>
    availableActions(viewerRole(), {
      role: participant.role,
      muted: participant.muted,
      invitedToSpeak: participant.invitedToSpeak,
      invitedAs: participant.invitedAs,
      userId: participant.user.id,
    });
  const moderate = (action: ParticipantAction, participant: SpaceParticipant) => {
    const question = confirmationFor(action, participant.user.displayName);
    if (question && !window.confirm(question)) return;
    void actions.moderate(action, participant.user.id).then(live.refresh);
  };

  const [broadcast, setBroadcast] = createSignal<{
    url: string | null;
    latencySeconds: number | null;
    recommended: ListeningMode;
  } | null>(null);
  const [chosenListening, setChosenListening] = createSignal<ListeningMode | null>(null);
  // Asked again as the audience changes: the recommendation follows its size.
  createEffect(
    on(
      () => live.space()?.participantCount,
      (count) => {
        if (count === undefined) return;
        void run(api, BroadcastQuery, { id: spaceId })
          .then((data) => setBroadcast(data.space?.broadcast ?? null))
          .catch(() => setBroadcast(null));
      },
    ),
  );
  const listening = () =>
    chooseListening({
      onStage: onStage(),
      chosen: chosenListening(),
      recommended: broadcast()?.recommended ?? 'RELAY',
      broadcastUrl: broadcast()?.url ?? null,
    });

  /**
   * Who we are in the space: the join's answer, then the room's read. The audio starts from the
   * join (a relay space's offer comes with it, or a mesh's offers went with it): waiting for the
   * room to be read, then drawn, held a listener's first audio back by a round trip and the
   * page's busiest moment (bench/join).
   */
  const selfId = () => me()?.id ?? live.joined()?.participantId;
  createEffect(() => {
    const self = selfId();
    // Over the broadcast, the relay's session is given up: that is the point past a crowd.
    if (listening() === 'BROADCAST') audio.leave();
    else if (self && !live.closed()) {
      const relayed = untrack(live.joined)?.relayed ? 'RELAY' : undefined;
      audio.connect(self, untrack(live.space)?.mediaMode ?? relayed, live.takeJoinedMedia());
    }
    // Without an account one listens as a guest, always through the server relay.
    else if (!props.signedIn && live.space() && !live.closed()) audio.connect(GUEST, 'RELAY');
  });
  createEffect(() => {
    if (!audio.room()) return;
    const space = live.space();
    if (!space) {
      const place = live.joined();
      const before = place && audioRoomBeforeRead(place, opening.space);
      if (before) audio.update(before);
      return;
    }
    audio.update({
      mode: props.signedIn ? space.mediaMode : 'RELAY',
      relayAudience: space.relayAudience,
      roster: space.roster.edges.map(({ node }) => ({
        participantId: node.id,
        role: node.role,
        muted: node.muted,
      })),
    });
  });
  // People on stage publish their microphone; back in the audience, it is released.
  createEffect(
    on(onStage, (staged) => {
      if (staged && !live.closed()) untrack(() => void mic.start());
      else untrack(() => mic.stop());
    }),
  );
  createEffect(() => {
    const track = mic.track();
    const room = audio.room();
    if (track && room && track.readyState === 'live') room.publishMicrophone(track);
  });
  createEffect(() => {
    if (live.closed()) {
      audio.leave();
      mic.stop();
    }
  });

  const levelOf = (participantId: string) =>
    participantId === me()?.id ? audio.localLevel() : (audio.levels().get(participantId) ?? 0);

  const fetchListeners = async (after: string | null, first: number) => {
    const data = await run(api, ListenersQuery, { id: spaceId, first, after });
    const connection = data.space?.participants;
    return {
      nodes: connection?.edges.map((edge) => edge.node) ?? [],
      hasNextPage: connection?.pageInfo.hasNextPage ?? false,
      endCursor: connection?.pageInfo.endCursor ?? null,
    };
  };

  const leave = async () => {
    await actions.leave();
    audio.leave();
    navigate('/');
  };
  const end = async () => {
    if (await actions.end()) {
      audio.leave();
      navigate('/');
    }
  };

  return (
    <Show
      when={!live.closed()}
      fallback={<ClosedNotice closed={live.closed()!} spaceId={spaceId} />}
    >
      <Show when={live.space()} fallback={<div class="page space-skeleton" aria-busy="true" />}>
        {(space) => (
          <div class="space-room">
            <div class="space-layout">
              <div class="space-main">
                <SpaceHeader
                  space={space()}
                  listening={listening()}
                  broadcast={broadcast()}
                  onChooseListening={setChosenListening}
                />

                <Show when={!props.signedIn}>
                  <p class="alert info">
                    Listening as a guest. <A href={`/signin?next=/spaces/${spaceId}`}>Sign in</A> to
                    react, raise your hand and speak.
                  </p>
                </Show>
                <Show when={audio.blocked()}>
                  <button
                    type="button"
                    class="button primary block tap-to-listen"
                    onClick={() => audio.resume()}
                  >
                    <VolumeIcon /> Tap to listen
                  </button>
                </Show>
                <Show when={space().captionsOn && onStage()}>
                  <p class="alert info" role="status" data-testid="captions-consent">
                    Captions are on: what you say on stage is transcribed on this server, shown live
                    and kept as the space’s transcript.
                  </p>
                </Show>
                <InvitationAlerts
                  role={me()?.role}
                  invitedToSpeak={Boolean(me()?.invitedToSpeak)}
                  invitedAs={me()?.invitedAs}
                  onAcceptStage={() => void actions.acceptInvitation().then(live.refresh)}
                  onAcceptCoHost={() => void actions.acceptCoHostInvitation().then(live.refresh)}
                  onDecline={() => void actions.declineInvitation().then(live.refresh)}
                />

                <section class="stage" aria-labelledby="stage-title">
                  <h2 id="stage-title" class="section-title">
                    On stage <span class="count">{space().stage.length}</span>
                  </h2>
                  <ul class="stage-grid">
                    <For each={space().stage}>
                      {(participant) => (
                        <SpeakerTile
                          participant={participant}
                          isSelf={participant.id === me()?.id}
                          speaking={levelOf(participant.id) > SPEAKING_LEVEL}
                          cantHear={!participant.muted && audio.cantHear(participant.id)}
                          floaters={live.reactions.of(participant.id)}
                          actions={actionsFor(participant)}
                          onAction={(action) => moderate(action, participant)}
                        />
                      )}
                    </For>
                  </ul>
                  <Show when={space().captionsOn && captionsShown()}>
                    <CaptionBar lines={live.captionLines()} nameOf={speakerName} />
                  </Show>
                </section>

                <ListenerList
                  fetchPage={fetchListeners}
                  version={live.version}
                  changes={live.onChange}
                  total={Math.max(0, space().participantCount - space().stage.length)}
                  selfId={me()?.id}
                  floatersOf={live.reactions.of}
                  actionsFor={actionsFor}
                  onAction={moderate}
                />
              </div>

              <aside class="space-side" aria-label="Space tools">
                {/* First: a new space has no one to hear it until its link goes out. */}
                <section class="card share-panel" aria-labelledby="share-title">
                  <h2 id="share-title" class="section-title">
                    Invite people
                  </h2>
                  <ShareButton url={space().shareUrl} title={space().title} />
                </section>
                <Show when={isHostTeam(me()?.role)}>
                  <RequestQueue
                    requests={space().speakerRequests}
                    onAccept={(userId) => actions.accept(userId).then(live.refresh)}
                    onDecline={(userId) => actions.decline(userId).then(live.refresh)}
                  />
                </Show>
                <Show when={space().captionsOn || isHostTeam(me()?.role)}>
                  <CaptionsPanel
                    captionsOn={space().captionsOn}
                    canSwitch={isHostTeam(me()?.role)}
                    shown={captionsShown()}
                    onToggleShown={toggleCaptionsShown}
                    onSwitch={(on) => void switchCaptions(on)}
                  />
                </Show>
                <Show when={onStage()}>
                  <section class="card mic-panel" aria-labelledby="mic-title">
                    <h2 id="mic-title" class="section-title">
                      Your microphone
                    </h2>
                    <LevelMeter level={audio.localLevel() || mic.level()} label="Your level" />
                    <DevicePicker mic={mic} id="space-mic" />
                  </section>
                </Show>
              </aside>
            </div>

            {/* In the flow, so the room's end is never under it; sticky, so it stays in reach. */}
            <div class="control-dock">
              <div class="notice-region" role="status" aria-live="polite">
                <Show when={notice()}>
                  <p class="toast">{notice()}</p>
                </Show>
              </div>
              <Show when={prompt()}>
                {(shown) => <MicPromptBanner prompt={shown()} onAllow={() => void mic.start()} />}
              </Show>
              <Show when={me()}>
                {(self) => (
                  <ControlBar
                    role={self().role}
                    muted={self().muted}
                    handRaised={self().handRaised}
                    micReady={Boolean(mic.track())}
                    mutedPrompt={prompt()?.kind === 'muted'}
                    emojis={live.emojis()}
                    onToggleMute={() => void actions.setMuted(!self().muted).then(live.refresh)}
                    onToggleHand={() =>
                      void (self().handRaised ? actions.lowerHand() : actions.raiseHand()).then(
                        live.refresh,
                      )
                    }
                    onLeaveStage={() =>
                      void actions
                        .moderate('move-to-listener', viewer()?.id ?? '')
                        .then(live.refresh)
                    }
                    onReact={(emoji) => void actions.react(emoji)}
                    onLeave={() => void leave()}
                    onEnd={() => void end()}
                  />
                )}
              </Show>
            </div>
          </div>
        )}
      </Show>
    </Show>
  );
}
