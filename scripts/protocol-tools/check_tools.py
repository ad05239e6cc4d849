"""What every protocol's tools/check_reference.py shares (Python 3, stdlib only).

Imported by firmware-protocols/<protocol>/tools/check_reference.py, which keeps its worked
examples, its table of rule cases, the frames they expect and its summary line. This module
holds the harness around them:

    fail(), failures      record and print one failure ("FAIL: ..."); the script's exit
                          status comes from `failures`
    objects_of()          a protocol's decode() as a function from bytes to its objects
    err(), h()            an expected error line; bytes from hex text
    check_each_case()     run a table of (sentence, input, expected objects)
    capture_paths()       the captures/*.bin files, sorted
    check_each_capture()  for every capture: golden file == decoder output, and the
                          header's Bytes, `Expected frames` and `Expected error offsets`
                          agree with it; yields each one for the protocol's own checks

Each check_reference.py runs in its own process, so `failures` is one list per script.
"""

import glob
import os

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def objects_of(decode):
    """decode(data) yields (start, end, obj); the function returned gives the objs."""
    def objects(data):
        return [obj for _, _, obj in decode(bytes(data))]
    return objects


def err(offset, reason):
    return {"error": reason, "offset": offset}


def h(text):
    return bytes.fromhex(text)


def check_each_case(cases, decode):
    """Every (name, data, want) with decode(data) != want is a failure. Returns how many
    cases were run."""
    count = 0
    for name, data, want in cases:
        count += 1
        got = decode(data)
        if got != want:
            fail("%s:\n  got  %r\n  want %r" % (name, got, want))
    return count


def read_header(path):
    fields = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(": ")
            fields[key] = value
    return fields


class Capture:
    """One capture that has a golden file and a header, as check_each_capture() read it."""

    __slots__ = ("name", "data", "header", "frames", "offsets")

    def __init__(self, name, data, header, frames, offsets):
        self.name = name        # file name without .bin
        self.data = data        # the .bin bytes
        self.header = header    # the .header fields
        self.frames = frames    # how many frames the decoder found
        self.offsets = offsets  # the offsets of its error lines


def capture_paths(captures_dir):
    return sorted(glob.glob(os.path.join(captures_dir, "*.bin")))


def check_each_capture(paths, decode, canonical):
    """For every NAME.bin in `paths`: NAME.golden.jsonl must equal the canonical lines of
    decode(data), and NAME.header's `Bytes`, `Expected frames` and `Expected error offsets`
    must agree with the data and the decoder's output. A capture without golden or header
    file is one failure and is skipped; every other one is then yielded as a Capture, so
    that the caller's own checks on it follow its common ones."""
    for path in paths:
        name = os.path.basename(path)[:-4]
        with open(path, "rb") as f:
            data = f.read()
        objs = decode(data)
        lines = [canonical(obj) for obj in objs]
        golden_path = path[:-4] + ".golden.jsonl"
        try:
            with open(golden_path, encoding="utf-8") as f:
                golden = f.read().splitlines()
        except OSError:
            fail("%s: no golden file" % name)
            continue
        if golden != lines:
            fail("%s: golden differs from the decoder's output (regenerate and review)" % name)
        try:
            header = read_header(path[:-4] + ".header")
        except OSError:
            fail("%s: no header file" % name)
            continue
        frames = sum(1 for o in objs if "error" not in o)
        offsets = [o["offset"] for o in objs if "error" in o]
        want_frames = int(header.get("Expected frames", "-1"))
        want_offsets = header.get("Expected error offsets", "")
        want_offsets = [] if want_offsets == "none" else [int(x) for x in want_offsets.split()]
        if frames != want_frames:
            fail("%s: %d frames, header expects %d" % (name, frames, want_frames))
        if offsets != want_offsets:
            fail("%s: error offsets %r, header expects %r" % (name, offsets, want_offsets))
        if int(header.get("Bytes", "-1")) != len(data):
            fail("%s: %d bytes, header says %s" % (name, len(data), header.get("Bytes")))
        yield Capture(name, data, header, frames, offsets)
