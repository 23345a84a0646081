/** The direction of each audio and video section of an SDP, in order (`sendrecv` if unstated). */
export function mediaSections(sdp: string): { kind: string; direction: string }[] {
  const sections: { kind: string; direction: string }[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    const media = /^m=(\w+) /.exec(line);
    if (media?.[1]) {
      sections.push({ kind: media[1], direction: 'sendrecv' });
      continue;
    }
    const direction = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/.exec(line);
    const current = sections.at(-1);
    if (direction?.[1] && current) current.direction = direction[1];
  }
  return sections;
}

/** Whether an SDP offers or accepts to send audio (or any video, which Amphi never carries). */
export function sendsMedia(sdp: string): boolean {
  return mediaSections(sdp).some(
    (section) =>
      section.kind === 'video' ||
      (section.kind === 'audio' &&
        (section.direction === 'sendrecv' || section.direction === 'sendonly')),
  );
}
