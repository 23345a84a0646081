"""Live pocketsphinx recogniser for one speaker. Stdin carries messages, each a 4-byte little-endian
length and that many bytes: raw PCM (s16le, 16 kHz, mono), or, with length 0, "flush" (end the
utterance under way here, as if the speaker had paused). Stdout carries one JSON object per line: {"type": "ready"}, then {"type": "partial"|"final", "text",
"startMs", "endMs"} with times counted from the first sample received, and {"type":
"progress", "fedMs"} every PROGRESS_EVERY_MS of audio recognised (so the server sees a backlog).

Arguments: <acoustic model dir> <language model> <dictionary>.
Pocketsphinx's own voice activity detection splits utterances; a final closes each one. Its
segment frames count from the start of the stream, not of the utterance.
"""

import json
import struct
import sys

from pocketsphinx import Decoder

SAMPLE_RATE = 16000
FRAME_MS = 10
# A partial costs a search over the lattice so far; a few a second is plenty for a caption bar.
PARTIAL_EVERY_MS = 250
CHUNK_BYTES = 3200  # 100 ms
PROGRESS_EVERY_MS = 200


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def words(decoder):
    found = []
    for segment in decoder.seg():
        word = segment.word
        if word.startswith("<") or word.startswith("[") or word.startswith("++"):
            continue
        found.append(
            (
                word.split("(")[0],
                segment.start_frame * FRAME_MS,
                (segment.end_frame + 1) * FRAME_MS,
            )
        )
    return found


def segment_of(kind, decoder, utterance_ms, fed_ms):
    found = words(decoder)
    if found:
        return {
            "type": kind,
            "text": " ".join(word for word, _, _ in found),
            "startMs": found[0][1],
            "endMs": found[-1][2],
        }
    hypothesis = decoder.hyp()
    text = hypothesis.hypstr.strip() if hypothesis else ""
    return {"type": kind, "text": text, "startMs": utterance_ms, "endMs": fed_ms}


def main():
    hmm, lm, dictionary = sys.argv[1:4]
    config = Decoder.default_config()
    config.set_string("-hmm", hmm)
    config.set_string("-lm", lm)
    config.set_string("-dict", dictionary)
    config.set_string("-logfn", "/dev/null")
    decoder = Decoder(config)
    emit({"type": "ready"})

    stdin = sys.stdin.buffer
    fed_samples = 0
    utterance_ms = 0
    in_utterance = False
    last_partial = ""
    last_partial_ms = 0
    last_progress_ms = 0

    def finish_utterance():
        nonlocal utterance_ms, in_utterance, last_partial
        decoder.end_utt()
        # Emitted even without words: a final is what tells the server the utterance is closed.
        emit(segment_of("final", decoder, utterance_ms, fed_samples * 1000 // SAMPLE_RATE))
        decoder.start_utt()
        utterance_ms = fed_samples * 1000 // SAMPLE_RATE
        in_utterance = False
        last_partial = ""

    def process(chunk):
        nonlocal fed_samples, in_utterance, last_partial, last_partial_ms, last_progress_ms
        decoder.process_raw(chunk, False, False)
        fed_samples += len(chunk) // 2
        fed_ms = fed_samples * 1000 // SAMPLE_RATE
        if fed_ms - last_progress_ms >= PROGRESS_EVERY_MS:
            last_progress_ms = fed_ms
            emit({"type": "progress", "fedMs": fed_ms})
        speaking = decoder.get_in_speech()
        if speaking and not in_utterance:
            in_utterance = True
        if speaking and fed_ms - last_partial_ms >= PARTIAL_EVERY_MS:
            last_partial_ms = fed_ms
            partial = segment_of("partial", decoder, utterance_ms, fed_ms)
            if partial["text"] and partial["text"] != last_partial:
                last_partial = partial["text"]
                emit(partial)
        elif not speaking and in_utterance:
            finish_utterance()

    decoder.start_utt()
    pending = b""
    while True:
        header = stdin.read(4)
        if len(header) < 4:
            break
        (length,) = struct.unpack("<I", header)
        if length == 0:
            if pending:
                process(pending)
                pending = b""
            if in_utterance:
                finish_utterance()
            continue
        pending += stdin.read(length)
        # The server writes 20 ms frames; the decoder is fed in larger chunks (less overhead).
        if len(pending) >= CHUNK_BYTES:
            usable = len(pending) - len(pending) % 2
            process(pending[:usable])
            pending = pending[usable:]
    if len(pending) >= 2:
        process(pending[: len(pending) - len(pending) % 2])
    decoder.end_utt()
    if in_utterance:
        final = segment_of("final", decoder, utterance_ms, fed_samples * 1000 // SAMPLE_RATE)
        if final["text"]:
            emit(final)


if __name__ == "__main__":
    try:
        main()
    except (BrokenPipeError, KeyboardInterrupt):
        pass
