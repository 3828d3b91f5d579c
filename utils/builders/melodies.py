"""Build ``datasets/music/bach_soprano_tokens.json`` from the music21 Bach chorales.

    python -m utils.builders.melodies      # about 45 s of parsing on 2 cores
    python -m utils.data.manifest update   # then record the new hash

The soprano line of every chorale is transposed to C major or A minor and written as
(MIDI pitch, duration) tokens; :mod:`utils.data.melodies` reads the file.
"""

import json
import sys
import time
from collections import Counter
from pathlib import Path

from utils.data.manifest import DATASETS_DIR
from utils.data.melodies import MIN_TOKEN_COUNT, RELATIVE_PATH, REST


def _soprano_part(score):
    for part in score.parts:
        if (part.partName or "").lower().startswith("soprano"):
            return part
    return None


def _melody_events(path):
    """(name, key text, [(pitch, duration), ...]) of one chorale, or None to skip it."""
    from music21 import corpus, pitch

    score = corpus.parse(path)
    part = _soprano_part(score)
    if part is None:
        return None
    key = score.analyze("key")
    target = pitch.Pitch("C" if key.mode == "major" else "A")
    shift = (target.midi - key.tonic.midi) % 12
    if shift > 6:
        shift -= 12
    events = []
    for element in part.flatten().stripTies().notesAndRests:
        duration = float(element.quarterLength)
        if element.duration.isGrace or duration == 0:
            continue
        if element.isRest:
            events.append((REST, duration))
            continue
        note = element.notes[0] if element.isChord else element
        events.append((note.pitch.midi + shift, duration))
    while events and events[0][0] == REST:    # leading and trailing rests carry nothing
        events.pop(0)
    while events and events[-1][0] == REST:
        events.pop()
    return Path(path).stem, f"{key.tonic.name} {key.mode}", events


def build(output=None, verbose=True):
    """Parse the chorales, build the vocabulary and write the JSON token file."""
    from music21 import corpus

    output = Path(output or DATASETS_DIR / RELATIVE_PATH)
    start = time.perf_counter()
    paths = sorted((p for p in corpus.getComposer("bach") if p.suffix in (".mxl", ".xml")),
                   key=lambda p: p.name)
    parsed, seen = [], set()
    for number, path in enumerate(paths, 1):
        result = _melody_events(path)
        if result is not None and result[2] and tuple(result[2]) not in seen:
            seen.add(tuple(result[2]))            # the same tune harmonised twice: keep one
            parsed.append(result)
        if verbose and number % 50 == 0:
            print(f"  parsed {number}/{len(paths)} scores", flush=True)
    kept = parsed
    while True:   # drop melodies with rare tokens until every kept token is common enough
        counts = Counter(event for _, _, events in kept for event in events)
        common = {event for event, count in counts.items() if count >= MIN_TOKEN_COUNT}
        if len(common) == len(counts):
            break
        kept = [melody for melody in kept if all(e in common for e in melody[2])]
    vocabulary = sorted(counts)
    index = {event: i for i, event in enumerate(vocabulary)}
    melodies = [(name, key, [index[e] for e in events]) for name, key, events in kept]
    lines = [
        "{",
        '"source": "music21 corpus (Bach chorales), soprano part; major keys moved to C major,'
        ' minor keys to A minor; token = (MIDI pitch or 0 for a rest, quarter notes)",',
        f'"vocabulary": {json.dumps([[p, d] for p, d in vocabulary])},',
        '"melodies": [',
        ",\n".join(json.dumps({"name": n, "key": k, "tokens": t}) for n, k, t in melodies),
        "]",
        "}",
    ]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if verbose:
        n_tokens = sum(len(t) for _, _, t in melodies)
        print(f"{len(paths)} scores, {len(parsed)} distinct soprano melodies, "
              f"{len(melodies)} kept ({n_tokens} tokens), vocabulary of {len(vocabulary)}; "
              f"wrote {output} ({output.stat().st_size / 1024:.0f} KiB) in "
              f"{time.perf_counter() - start:.0f} s")
    return output


if __name__ == "__main__":
    build()
    sys.exit(0)
