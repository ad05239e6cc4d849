#!/usr/bin/env python3
"""Reference decoder for the `mt-sics` protocol (Python 3, stdlib only).

What it is for
    An implementation of the decoding rules in ../SPEC.md (section 8, which restates
    rules 5.5 of the engineers' fact sheet, and section 11, the error-line policy),
    written independently of the Swift decoder in StallProtocols. It produces the golden
    files in ../captures/. When the two decoders disagree on a capture, one of them is
    wrong; the SPEC decides which. This decoder matches lines with regular expressions
    searched from the left, as the rules are worded; the Swift decoder parses each line
    from its end. The two methods meet only in the SPEC.

Input assumptions
    The whole input is one file holding the balance's replies only (never the host's
    commands), as delivered by the UART: it may start or end in the middle of a line and
    hold line noise.

Output
    One canonical JSON line per accepted frame or per error line, in input order:
        frame: {"net":false,"overload":B,"protocol":"mt-sics","stable":B,"weight_mg":I}
        error: {"error":REASON,"offset":N}
    Canonical means json.dumps(obj, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False).

Resync rule in one sentence
    Every LF ends a line and every line is judged on its own, so decoding is back in step
    at the byte after the next LF whatever came before.

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

PROTOCOL = "mt-sics"

LF = 0x0A
CR = 0x0D

# SPEC 8, clarification C1: from the reply's `S` to the end of the line (CR excluded)
# a frame spans at most this many bytes, and a known reply (rule 5) is a whole line of
# at most this many bytes.
LONGEST_FRAME = 64
# SPEC 8, clarification C3: the weight value of [S11] is a 10-character field.
LONGEST_VALUE = 10
# The largest integer a JSON reader holds exactly (2^53 - 1).
MAX_SAFE_INTEGER = 9007199254740991

# Milligrams per unit as an exact fraction (numerator, denominator); fact sheet 2.3.
MG_PER_UNIT = {
    "kg": (1000000, 1),
    "g": (1000, 1),
    "mg": (1, 1),
    "lb": (45359237, 100),
    "oz": (28349523125, 1000000),
}

VALUE = rb"-?[0-9]+(?:\.[0-9]+)?"
UNIT = rb"[A-Za-z]+"

# Rule 2: `S` SP status SP+ value SP+ unit SP*, ending the line, searched from the left.
WEIGHT_REPLY = re.compile(rb"S ([SD]) +(" + VALUE + rb") +(" + UNIT + rb") *\Z")
# Rule 3: the line ends with `S +` or `S -` (optional trailing spaces).
RANGE_REPLY = re.compile(rb"S [+-] *\Z")
# Rule 5, clarification C4: the replies we recognise as valid and silent (whole line).
KNOWN_REPLIES = [re.compile(p) for p in (
    rb"E[STL] *\Z",                                   # ES, ET, EL
    rb"S I *\Z",                                      # S I: weight not available now
    rb"Z [AI+-] *\Z",                                 # zero: done, not now, out of range
    rb"T [I+-] *\Z",                                  # tare: not now, out of range
    rb"T S +" + VALUE + rb" +" + UNIT + rb" *\Z",    # tare stored, with its value
    rb'I[0-9]{1,2} A "[ !#-~]*" *\Z',                 # I4 A "<serial>" (reply to @)
)]

REASONS = ("garbage", "bad_field", "unsupported_unit", "truncated")


def to_mg(value_text, unit):
    """Rule 4 and fact sheet 2.3: the value text (e.g. b"-0.0082") in `unit` to signed
    milligrams, or None when it is out of range (clarification C3)."""
    if len(value_text) > LONGEST_VALUE:
        return None
    negative = value_text.startswith(b"-")
    text = value_text[1:] if negative else value_text
    whole, _, fraction = text.partition(b".")
    n = int(whole + fraction)
    f_num, f_den = MG_PER_UNIT[unit]
    mg = round_half_away(n * f_num, f_den * 10 ** len(fraction))
    if mg > MAX_SAFE_INTEGER:
        return None
    return -mg if negative else mg


def frame(weight_mg, stable, overload=False):
    return {"protocol": PROTOCOL, "weight_mg": weight_mg, "stable": stable,
            "net": False, "overload": overload}


def judge_line(content):
    """Rules 2-5 on one line (CR already dropped). Returns (kind, position, payload):
       ("frame", p, obj)      a frame whose `S` is at p (p > 0: garbage before it);
       ("error", None, why)   one error line for the whole line;
       ("silent", None, None) a known reply or an empty line: no output."""
    if not content:
        return ("silent", None, None)
    m = WEIGHT_REPLY.search(content)
    if m and len(content) - m.start() <= LONGEST_FRAME:
        status, value, unit = m.group(1), m.group(2), m.group(3).decode("ascii")
        if unit not in MG_PER_UNIT:
            return ("error", None, "unsupported_unit")
        mg = to_mg(value, unit)
        if mg is None:
            return ("error", None, "bad_field")
        return ("frame", m.start(), frame(mg, status == b"S"))
    m = RANGE_REPLY.search(content)
    if m and len(content) - m.start() <= LONGEST_FRAME:
        return ("frame", m.start(), frame(0, False, overload=True))
    if len(content) <= LONGEST_FRAME and any(p.match(content) for p in KNOWN_REPLIES):
        return ("silent", None, None)
    return ("error", None, "garbage")


def decode(data):
    """Yield (start, end, obj) for every frame and error line, in input order."""
    size = len(data)
    start = 0
    while start < size:
        lf = data.find(b"\n", start)
        if lf < 0:                                   # rule 1: incomplete last line
            yield start, size, {"error": "truncated", "offset": start}
            return
        content = data[start:lf]
        if content.endswith(b"\r"):                  # rule 1: drop one trailing CR
            content = content[:-1]
        kind, p, payload = judge_line(content)
        if kind == "frame":
            if p > 0:
                yield start, start + p, {"error": "garbage", "offset": start}
            yield start + p, lf + 1, payload
        elif kind == "error":
            yield start, lf + 1, {"error": payload, "offset": start}
        start = lf + 1


if __name__ == "__main__":
    sys.exit(decode_tools.main(sys.argv, decode))
