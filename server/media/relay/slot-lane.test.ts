import { describe, expect, it } from 'vitest';
import { plainNativeSender } from '../../../tests/helpers/plain-native-sender.ts';
import { udpSocketsPerTest } from '../../../tests/helpers/udp-sockets.ts';
import { nativeSrtp } from './native-srtp.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { createSlotLane, type LaneMember } from './slot-lane.ts';

const boundSocket = udpSocketsPerTest();

/** A member whose copies go natively (unprotected) to a socket of its own, counted there. */
async function member(name: string) {
  const { sender, datagrams } = await plainNativeSender(boundSocket);
  const counted = { walked: 0, credited: 0 };
  const self = {
    name,
    /** The sequence numbers it heard. */
    get heard() {
      return datagrams.map((datagram) => datagram.readUInt16BE(2));
    },
    counted,
    forward(_slot: number, packet: OutgoingRtp) {
      packet.nativeBatch.senders[packet.nativeBatch.count++] = sender;
      counted.walked++;
      return true;
    },
    credit(_slot: number, packets: number) {
      counted.credited += packets;
    },
  } satisfies LaneMember & Record<string, unknown>;
  return self;
}

describe.runIf(nativeSrtp)('createSlotLane', () => {
  it('reaches members who join and stops at members who leave, between full walks', async () => {
    const lane = createSlotLane<Awaited<ReturnType<typeof member>>>(0);
    const [speaker, stays, leaves, joins] = await Promise.all(
      ['speaker', 'stays', 'leaves', 'joins'].map(member),
    );
    let members = [speaker!, stays!, leaves!];
    let sequenceNumber = 0;
    const sendOne = (from = speaker!) => {
      const packet: OutgoingRtp = {
        marker: false,
        sequenceNumber: sequenceNumber++,
        rolloverCounter: 0,
        timestamp: sequenceNumber * 960,
        payload: Buffer.alloc(40),
        levelPayload: undefined,
        arrivedAt: 0,
        nativeBatch: lane.batch,
      };
      return lane.send(packet, members, from);
    };
    for (let index = 0; index < 30; index++) expect(sendOne()).toBe(2);

    members = [speaker!, stays!, joins!];
    lane.invalidate();
    for (let index = 0; index < 5; index++) expect(sendOne()).toBe(2);
    // The slot changes hands: the new holder is not sent its own audio; the old one hears it.
    for (let index = 0; index < 3; index++) expect(sendOne(stays)).toBe(2);

    await expect.poll(() => stays!.heard.length).toBe(35);
    await expect.poll(() => joins!.heard.length).toBe(8);
    await expect.poll(() => speaker!.heard.length).toBe(3);
    expect(leaves!.heard).toEqual([...Array(30).keys()]);
    expect(joins!.heard.slice(0, 5)).toEqual([30, 31, 32, 33, 34]);
    // What skipped the members' own forward() was credited to them (for sender reports),
    // up to the packets since the last walk.
    expect(stays!.counted.walked + stays!.counted.credited).toBe(35);
  });

  it('reaches a member who joins without walking the members already sent natively', async () => {
    const lane = createSlotLane<Awaited<ReturnType<typeof member>>>(0);
    const [speaker, stays, joins] = await Promise.all(['speaker', 'stays', 'joins'].map(member));
    const members = [speaker!, stays!];
    let sequenceNumber = 0;
    const sendOne = () =>
      lane.send(
        {
          marker: false,
          sequenceNumber: sequenceNumber++,
          rolloverCounter: 0,
          timestamp: sequenceNumber * 960,
          payload: Buffer.alloc(40),
          levelPayload: undefined,
          arrivedAt: 0,
          nativeBatch: lane.batch,
        },
        members,
        speaker!,
      );
    for (let index = 0; index < 3; index++) expect(sendOne()).toBe(1);
    const walkedBefore = stays!.counted.walked;

    members.push(joins!);
    lane.admit(joins!);
    for (let index = 0; index < 10; index++) expect(sendOne()).toBe(2);

    // Walked once to be admitted, then sent natively with the others, who were not walked again.
    expect(joins!.counted.walked).toBe(1);
    expect(stays!.counted.walked).toBe(walkedBefore);
    await expect.poll(() => joins!.heard.length).toBe(10);
    await expect.poll(() => stays!.heard.length).toBe(13);
    expect(joins!.heard).toEqual([...Array(10).keys()].map((index) => index + 3));
    // Sender-report counts: once a walk credits what was skipped, every packet a member got was
    // either walked or credited, exactly once.
    lane.invalidate();
    sendOne();
    expect(stays!.counted.walked + stays!.counted.credited).toBe(14);
    expect(joins!.counted.walked + joins!.counted.credited).toBe(11);
  });
});
