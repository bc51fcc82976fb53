#!/usr/bin/env python3
"""Runs Essentia's RhythmExtractor2013 and KeyExtractor on the files of a
`loopbench accuracy --folder DIR` run and compares them with loopd's answers.

    pip install essentia
    .build/release/loopbench accuracy --folder /tmp/acc
    python3 Sources/loopbench/essentia-compare.py /tmp/acc/manifest.csv
"""
import csv
import json
import sys
import time

import essentia.standard as es

KEY_NAMES = {"C": "C", "C#": "C#", "Db": "C#", "D": "D", "D#": "Eb", "Eb": "Eb", "E": "E", "F": "F", "F#": "F#",
             "Gb": "F#", "G": "G", "G#": "Ab", "Ab": "Ab", "A": "A", "A#": "Bb", "Bb": "Bb", "B": "B"}


def same_key(ours, theirs):
    return bool(ours) and ours == theirs


def main(manifest):
    rows = list(csv.DictReader(open(manifest)))
    rhythm = es.RhythmExtractor2013(method="multifeature")
    key_extractor = es.KeyExtractor()
    totals = {"essentia": [0, 0, 0, 0.0], "loopd": [0, 0, 0, 0.0]}  # exact, within, key right, seconds
    per_set = {}  # set -> {tool: exact}, plus the count of integer tempos
    integer = keyed = 0
    audio_seconds = 0.0
    for row in rows:
        truth = float(row["true_bpm"])
        started = time.perf_counter()
        audio = es.MonoLoader(filename=row["path"], sampleRate=44100)()
        bpm = rhythm(audio)[0]
        key, scale, _ = key_extractor(audio)
        seconds = time.perf_counter() - started
        essentia_key = KEY_NAMES.get(key, key) + ("m" if scale == "minor" else "")
        answers = {
            "essentia": (round(bpm) if abs(bpm - round(bpm)) < 0.5 else bpm, essentia_key, seconds),
            "loopd": (float(row["loopd_bpm"]) if row["loopd_bpm"] else None, row["loopd_key"], float(row["loopd_seconds"])),
        }
        audio_seconds += float(row["audio_seconds"])
        is_integer = truth == round(truth)
        integer += is_integer
        tally = per_set.setdefault(row["set"], {"integerTempos": 0, "essentia": 0, "loopd": 0})
        tally["integerTempos"] += is_integer
        keyed += bool(row["true_key"])
        for tool, (found, found_key, spent) in answers.items():
            if is_integer and found is not None and round(found) == truth and abs(found - truth) < 0.5:
                totals[tool][0] += 1
                tally[tool] += 1
            if found is not None and any(abs(found - truth * m) <= 0.04 * truth * m for m in (0.5, 1, 2)):
                totals[tool][1] += 1
            if row["true_key"] and same_key(row["true_key"], found_key):
                totals[tool][2] += 1
            totals[tool][3] += spent
    report = {tool: {"tempoExactOnIntegerTempos": round(t[0] / integer, 3), "tempoWithin4PercentOrOctave": round(t[1] / len(rows), 3),
                     "keyExact": round(t[2] / keyed, 3), "realtimeFactor": round(audio_seconds / t[3], 1)} for tool, t in totals.items()}
    report["loops"] = len(rows)
    report["exactIntegerTempoBySet"] = {name: t for name, t in per_set.items() if t["integerTempos"]}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(sys.argv[1])
