#!/usr/bin/env python3
"""Reference decoder for the `toledo-continuous` protocol (Python 3, stdlib only).

What it is for
    An implementation of the decoding rules in ../SPEC.md (section 6, which restates
    rules 3.6 of the engineers' fact sheet) written independently of the Swift decoder in
    StallProtocols. It produces the golden files in ../captures/. When the two decoders
    disagree on a capture, one of them is wrong; the SPEC decides which.

Input assumptions
    The whole input is one file of raw bytes exactly as delivered by the UART: it may start
    or end in the middle of a frame, hold line noise between frames, and mix frame variants
    (full/short, with/without checksum, with/without LF).

Output
    One canonical JSON line per accepted frame or per error line, in input order:
        frame: {"net":B,"overload":B,"protocol":"toledo-continuous","stable":B,
                ["tare_mg":I,] "weight_mg":I}      (tare_mg on full frames only)
        error: {"error":REASON,"offset":N}
    Canonical means json.dumps(obj, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False).

Resync rule in one sentence
    Hunt for STX; a rejected candidate at i resumes hunting at i+1, and every maximal run
    of bytes that does not start an accepted frame becomes one error line at the run's
    first byte.

Invariants
    No floating point anywhere: values are integers, unit factors are exact fractions, and
    rounding is half away from zero on integers.

Usage
    python3 reference_decode.py FILE            # golden output
    python3 reference_decode.py --annotate FILE # same lines, each preceded by a
                                                # "# <start>-<end>: <hex>" comment naming
                                                # the bytes it covers (for review only,
                                                # never for goldens)
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep the repository free of __pycache__
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "scripts", "protocol-tools"))

import decode_tools  # noqa: E402
from decode_tools import canonical, round_half_away  # noqa: E402,F401

PROTOCOL = "toledo-continuous"

STX = 0x02
LF = 0x0A
CR = 0x0D
SPACE = 0x20

# Milligrams per unit as an exact fraction (numerator, denominator).
MG_PER_UNIT = {
    "kg": (1000000, 1),
    "g": (1000, 1),
    "t": (1000000000, 1),
    "lb": (45359237, 100),
    "oz": (28349523125, 1000000),
}

# Status C bits 0-2 under the Mettler layout. 0 is resolved through status B bit 4.
UNIT_CODE = {1: "g", 2: "t", 3: "oz"}  # 4..7 are not mass units we decode

REASONS = ("garbage", "bad_field", "bad_checksum", "bad_terminator",
           "unsupported_unit", "truncated")


def is_digit_or_space(byte):
    return byte == SPACE or 0x30 <= byte <= 0x39


def checksum(frame_bytes):
    """Two's complement of the 7-bit sum of every byte from STX to CR inclusive."""
    return (-sum(frame_bytes)) & 0x7F


def field_value(field):
    """Digits of a 6-byte field with spaces counted as 0, as one integer."""
    n = 0
    for byte in field:
        n = n * 10 + (0 if byte == SPACE else byte - 0x30)
    return n


def to_mg(n, code, unit):
    """N in the field, status A code, unit -> milligrams (rule 5 and the unit table)."""
    f_num, f_den = MG_PER_UNIT[unit]
    decimals = 0 if code <= 2 else code - 2
    return round_half_away(n * f_num, f_den * 10 ** decimals)


def unit_of(a, b, c):
    """Rules 3 and 4. Returns a unit name, or None for codes 4..7 (no frame)."""
    if (a & 0x20) == 0 and (a & 0x40) != 0:   # clone layout [S6]
        return "lb" if (c & 0x01) else "kg"
    code = c & 0x07
    if code == 0:
        return "kg" if (b & 0x10) else "lb"
    return UNIT_CODE.get(code)


class Candidate:
    """Outcome of trying to read one frame at an STX."""

    __slots__ = ("accepted", "reason", "end", "full")

    def __init__(self, accepted, reason=None, end=None, full=False):
        self.accepted = accepted  # True: rules 1-2 accept the bytes
        self.reason = reason      # rejection reason when not accepted
        self.end = end            # offset just after the consumed bytes when accepted
        self.full = full          # full (with tare) or short variant


def try_frame(data, i):
    """Rules 1 and 2 at an STX at offset i."""
    size = len(data)

    # Rule 1: status bytes i+1..i+3 are any value; weight field i+4..i+9.
    for k in range(i + 4, i + 10):
        if k >= size:
            return Candidate(False, "truncated")
        if not is_digit_or_space(data[k]):
            return Candidate(False, "bad_field")
    if i + 10 >= size:
        return Candidate(False, "truncated")
    if data[i + 10] == CR:
        cr = i + 10
        full = False
    else:
        for k in range(i + 10, i + 16):
            if k >= size:
                return Candidate(False, "truncated")
            if not is_digit_or_space(data[k]):
                return Candidate(False, "bad_field")
        if i + 16 >= size:
            return Candidate(False, "truncated")
        if data[i + 16] != CR:
            return Candidate(False, "bad_terminator")
        cr = i + 16
        full = True

    # Rule 2: the byte b after CR.
    p = cr + 1
    if p >= size:                       # end of input: no checksum
        return Candidate(True, end=p, full=full)
    b = data[p]
    if b == STX:                        # next frame starts: no checksum (rule 7 too)
        return Candidate(True, end=p, full=full)
    if (b & 0x7F) == checksum(data[i:cr + 1]):
        end = p + 1
        if end < size and data[end] == LF:
            end += 1
        return Candidate(True, end=end, full=full)
    if b == LF:                         # CR LF terminator, unchecked
        after = p + 1
        if after >= size or data[after] == STX:
            return Candidate(True, end=after, full=full)
        return Candidate(False, "bad_terminator")
    return Candidate(False, "bad_checksum")


def decode_frame(data, i, full):
    """Rules 3-6 on an accepted candidate. Returns a frame dict or None (unit 4..7)."""
    a, b, c = data[i + 1], data[i + 2], data[i + 3]
    unit = unit_of(a, b, c)
    if unit is None:
        return None
    code = a & 0x07
    weight = to_mg(field_value(data[i + 4:i + 10]), code, unit)
    if b & 0x02:
        weight = -weight
    frame = {
        "protocol": PROTOCOL,
        "weight_mg": weight,
        "stable": not (b & 0x08),
        "net": bool(b & 0x01),
        "overload": bool(b & 0x04),
    }
    if full:
        frame["tare_mg"] = to_mg(field_value(data[i + 10:i + 16]), code, unit)
    return frame


def decode(data):
    """Yield (start, end, obj) for every frame and error line, in input order."""
    size = len(data)
    pending = None          # (offset, reason) of the current rejected run, or None
    i = 0
    while i < size:
        if data[i] != STX:
            if pending is None:
                pending = (i, "garbage")
            i += 1
            continue
        cand = try_frame(data, i)
        if not cand.accepted:
            if pending is None:
                pending = (i, cand.reason)
            i += 1
            continue
        if pending is not None:
            yield pending[0], i, {"error": pending[1], "offset": pending[0]}
            pending = None
        frame = decode_frame(data, i, cand.full)
        if frame is None:
            yield i, cand.end, {"error": "unsupported_unit", "offset": i}
        else:
            yield i, cand.end, frame
        i = cand.end
    if pending is not None:
        yield pending[0], size, {"error": pending[1], "offset": pending[0]}


if __name__ == "__main__":
    sys.exit(decode_tools.main(sys.argv, decode))
