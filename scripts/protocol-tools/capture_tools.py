"""What every protocol's tools/make_captures.py shares (Python 3, stdlib only).

Imported by firmware-protocols/<protocol>/tools/make_captures.py, which keeps everything
about its protocol: the frame layouts, the captures' content, their names and header text,
SEED, SYNTH_DATE and SYNTH_NOTE. This module only writes what those produce:

    write_captures()  the main loop: one random.Random per capture, seeded with SEED and
                      the capture's name, then NAME.bin and NAME.header, one summary line
    write_capture()   NAME.bin and NAME.header of one capture (HEADER_KEYS, in that order)
    RunStream         bytes of one capture plus the frames and error-line offsets the
                      decoder must find, for protocols whose rejected bytes form runs
    motion_path()     readings of a load settling, with jitter

Nothing here decodes: the reference decoders stay independent of the generators.
"""

import os
import random

HEADER_KEYS = ("Name", "Model emulated", "Line settings", "Variant", "Source", "Captured by",
               "Date", "Why", "Odd", "Bytes", "Expected frames", "Expected error offsets")


class RunStream:
    """Bytes of one capture plus what the decoder must make of them.

    frame(): bytes that form one accepted frame; it ends any run before it.
    bad(): bytes that do not start an accepted frame; consecutive bad() calls form one
           run, hence one expected error line at the run's first byte.
    lone_error(): bytes that are one error line of their own at their first byte; it
           ends any run before it.
    """

    def __init__(self):
        self.data = bytearray()
        self.frames = 0
        self.error_offsets = []
        self._in_run = False

    def frame(self, raw):
        self.data += raw
        self.frames += 1
        self._in_run = False

    def bad(self, raw):
        if not self._in_run:
            self.error_offsets.append(len(self.data))
            self._in_run = True
        self.data += raw

    def lone_error(self, raw):
        self.error_offsets.append(len(self.data))
        self.data += raw
        self._in_run = False


def motion_path(rng, start, end, count):
    """`count` readings of a load settling from `start` towards `end`, with jitter."""
    values = []
    for k in range(1, count + 1):
        ideal = start + (end - start) * k // count
        spread = max(1, abs(end - start) // (4 * k + 2))
        values.append(ideal + rng.randint(-spread, spread))
    return values


def write_capture(out_dir, name, stream, fields, synth_date, synth_note):
    """Writes OUT_DIR/NAME.bin (stream.data) and OUT_DIR/NAME.header. `fields` holds the
    descriptive keys; Name, Captured by, Date, Bytes and the expectations are added here
    from the stream, and together they must be exactly HEADER_KEYS."""
    fields = dict(fields)
    fields["Name"] = name
    fields["Captured by"] = "nobody: " + synth_note
    fields["Date"] = synth_date + " (date of synthesis)"
    fields["Bytes"] = str(len(stream.data))
    fields["Expected frames"] = str(stream.frames)
    fields["Expected error offsets"] = (" ".join(str(o) for o in stream.error_offsets)
                                        or "none")
    assert set(fields) == set(HEADER_KEYS), sorted(set(fields) ^ set(HEADER_KEYS))
    with open(os.path.join(out_dir, name + ".bin"), "wb") as f:
        f.write(bytes(stream.data))
    with open(os.path.join(out_dir, name + ".header"), "w", encoding="utf-8") as f:
        for key in HEADER_KEYS:
            value = fields[key]
            assert "\n" not in value
            f.write("%s: %s\n" % (key, value))


def write_captures(captures, seed, synth_date, synth_note, out_dir, name_width, check=None):
    """For each (name, make) in `captures`: stream, fields = make(rng) with its own
    random.Random, check(stream) when given, write_capture(), and one summary line whose
    name column is `name_width` wide."""
    os.makedirs(out_dir, exist_ok=True)
    for name, make in captures:
        rng = random.Random("%d:%s" % (seed, name))   # str seeds are stable across runs
        stream, fields = make(rng)
        if check is not None:
            check(stream)
        write_capture(out_dir, name, stream, fields, synth_date, synth_note)
        print("%-*s %6d bytes %4d frames %3d error lines"
              % (name_width, name, len(stream.data), stream.frames, len(stream.error_offsets)))
