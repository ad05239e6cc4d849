#!/usr/bin/env python3
"""Reference decoder for the `ad-st` protocol (Python 3, stdlib only).

What it is for
    An implementation of the decoding rules in ../SPEC.md (section 7, which restates rules
    6.4 of the engineers' fact sheet, plus the clarifications C1-C9) written independently
    of the Swift decoder in StallProtocols. It produces the golden files in ../captures/.
    When the two decoders disagree on a capture, one of them is wrong; the SPEC decides
    which. This one works on the whole input at once and matches the body with a regular
    expression; the Swift decoder streams and scans by hand.

Input assumptions
    The whole input is one file of raw bytes exactly as delivered by the UART: it may start
    or end in the middle of a line, hold line noise between lines, and mix the layouts of
    SPEC.md section 3 (A&D indicator and balance, GC comparator, CAS 22 bytes, Chinese
    copies, Dini Argeo) and the terminators CR LF, CR and LF.

Output
    One canonical JSON line per accepted frame or per error line, in input order:
        frame: {"net":B,"overload":B,"protocol":"ad-st","stable":B,"weight_mg":I}
        error: {"error":REASON,"offset":N}
    Canonical means json.dumps(obj, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False).

Resync rule in one sentence
    Every CR and every LF ends a piece and every piece is judged on its own, parsing from
    the last header (`ST,` `US,` `OL,` `UL,` `QT,`) that starts within the piece's last
    64 bytes; a piece gives at most one error line, always at the piece's first byte.

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
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep the repository free of __pycache__
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "scripts", "protocol-tools"))

import decode_tools  # noqa: E402
from decode_tools import canonical, round_half_away  # noqa: E402,F401

PROTOCOL = "ad-st"

CR = 0x0D
LF = 0x0A

# C1: a frame (header 1 to the end of its piece, terminator excluded) is at most this long.
LONGEST_FRAME = 64
# C3: a number has at most this many digits.
MAX_DIGITS = 12
MAX_SAFE_MG = 2 ** 53 - 1

HEADERS_1 = (b"ST,", b"US,", b"OL,", b"UL,", b"QT,")
HEADERS_2 = (b"GS", b"NT", b"TR", b"LO", b"OK", b"HI", b"--")

# Milligrams per unit as an exact fraction (numerator, denominator); names lowercase (C4).
MG_PER_UNIT = {
    "kg": (1000000, 1),
    "g": (1000, 1),
    "t": (1000000000, 1),
    "lb": (45359237, 100),
    "oz": (28349523125, 1000000),
}

# Rule 4 with C3 and C4: spaces, sign, spaces, number, spaces, comma, spaces, unit, spaces.
BODY = re.compile(rb"\A *([+-]?) *([0-9]+(?:\.[0-9]*)?|\.[0-9]+) *,? *([A-Za-z%]+) *\Z")


def pieces(data):
    """Rule 1: yield (start, end, terminated) for every non-empty run between CR/LF bytes."""
    start = 0
    for i, byte in enumerate(data):
        if byte == CR or byte == LF:
            if i > start:
                yield start, i, True
            start = i + 1
    if start < len(data):
        yield start, len(data), False


def last_header(data, start, end):
    """Rule 2 with C1: offset of the last header 1 starting at or after end - 64, or None."""
    lo = max(start, end - LONGEST_FRAME)
    best = -1
    for token in HEADERS_1:
        best = max(best, data.rfind(token, lo, end))
    return None if best < 0 else best


def judge(data, h, end):
    """Rules 3-7 on the frame candidate data[h:end].

    Returns ("frame", obj), ("silent", None) or ("error", reason)."""
    header1 = data[h:h + 2]
    p = h + 3
    # Rule 3: optional header 2 and its comma, then the optional CAS ID/lamp field.
    header2 = None
    if end - p >= 3 and data[p:p + 2] in HEADERS_2 and data[p + 2] == 0x2C:
        header2 = data[p:p + 2]
        p += 3
    if end - p >= 3 and data[p + 2] == 0x2C:
        p += 3
    net = header2 == b"NT"
    # Rule 5 (before rule 6, C6): a state frame whatever the body holds.
    if header1 in (b"OL", b"UL"):
        return "frame", {"protocol": PROTOCOL, "weight_mg": 0, "stable": False,
                         "net": net, "overload": True}
    # Rule 4.
    match = BODY.match(data[p:end])
    if match is None:
        return "error", "bad_field"
    sign, number, unit = match.groups()
    digits = number.replace(b".", b"")
    if len(digits) > MAX_DIGITS:
        return "error", "bad_field"
    # Rule 6 (C7): known lines that carry no weighing are skipped silently.
    if header1 == b"QT" or header2 == b"TR":
        return "silent", None
    factor = MG_PER_UNIT.get(unit.decode("ascii").lower())
    if factor is None:
        return "error", "unsupported_unit"
    # Rule 7 and the exact conversion of fact sheet 2.3.
    decimals = len(number) - 1 - number.index(b".") if b"." in number else 0
    num = int(digits) * factor[0]
    den = factor[1] * 10 ** decimals
    weight = round_half_away(num, den)
    if weight > MAX_SAFE_MG:                  # C8
        return "error", "bad_field"
    if sign == b"-":
        weight = -weight                      # C9: -0 stays 0
    return "frame", {"protocol": PROTOCOL, "weight_mg": weight, "stable": header1 == b"ST",
                     "net": net, "overload": False}


def decode(data):
    """Yield (start, end, obj) for every frame and error line, in input order (SPEC 10)."""
    for start, end, terminated in pieces(data):
        if not terminated:
            yield start, end, {"error": "truncated", "offset": start}
            continue
        h = last_header(data, start, end)
        if h is None:
            yield start, end, {"error": "garbage", "offset": start}
            continue
        kind, value = judge(data, h, end)
        if kind == "error":
            yield start, end, {"error": value, "offset": start}
            continue
        if h > start:
            yield start, h, {"error": "garbage", "offset": start}
        if kind == "frame":
            yield h, end, value


if __name__ == "__main__":
    sys.exit(decode_tools.main(sys.argv, decode))
