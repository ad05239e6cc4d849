#!/usr/bin/env python3
"""Reference decoder for the `toledo-8217` protocol (Python 3, stdlib only).

What it is for
    An implementation of the decoding rules in ../SPEC.md (section 7, which restates
    rules 4.5 of the engineers' fact sheet) written independently of the Swift decoder
    `Toledo8217Decoder` in StallProtocols. It produces the golden files in ../captures/.
    When the two decoders disagree on a capture, one of them is wrong; SPEC.md decides
    which.

Input assumptions
    The whole input is one file holding the scale's replies only, as the UART delivered
    them (the host's requests are not in it). It may start or end in the middle of a
    reply and hold noise, echoed text or other bytes between replies.

Output
    One canonical JSON line per accepted reply or per error line, in input order:
        frame: {"net":B,"overload":B,"protocol":"toledo-8217","stable":B,"weight_mg":I}
        error: {"error":REASON,"offset":N}
    Canonical means json.dumps(obj, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False). Acknowledgements (`STX E CR`, `STX CR`) print nothing.

Resync rule in one sentence
    Hunt for STX; a candidate at i whose CR is not within i+1..i+10, or whose content
    matches no rule, is rejected and hunting resumes at i+1; every maximal run of bytes
    that starts no accepted reply becomes one error line at the run's first byte.

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

PROTOCOL = "toledo-8217"

STX = 0x02
CR = 0x0D
QUESTION = 0x3F

# Rule 1: the CR must lie within i+1..i+10, so content is at most 9 bytes.
CR_WINDOW = 10

# Milligrams per unit as an exact fraction (numerator, denominator); fact sheet 2.3.
MG_PER_UNIT = {
    "kg": (1000000, 1),
    "g": (1000, 1),
    "lb": (45359237, 100),
    "oz": (28349523125, 1000000),
}

# Rule 3: optional spaces; digits and points; optionally (spaces, unit, spaces); optional N.
# The digit/point group is checked afterwards: at least one digit, at most one point.
WEIGHT_CONTENT = re.compile(rb" *([0-9.]*)(?: *(lb|oz|kg|g) *)?(N?)")

REASONS = ("garbage", "bad_field", "bad_terminator", "truncated")


def status_frame(s):
    """Rule 2: `?` + status byte s. Bit 5 = net (Mettler's meaning), bit 1 = over capacity;
    under zero (bit 2) is deliberately not an overload."""
    return {
        "protocol": PROTOCOL,
        "weight_mg": 0,
        "stable": False,
        "net": bool(s & 0x20),
        "overload": bool(s & 0x02),
    }


def weight_frame(content):
    """Rule 3. Returns a frame dict, or None when the content is not a weight reply."""
    m = WEIGHT_CONTENT.fullmatch(content)
    if m is None:
        return None
    number, unit, net = m.group(1), m.group(2), m.group(3)
    if number.count(b".") > 1:
        return None
    digits = number.replace(b".", b"")
    if not digits:
        return None
    decimals = len(number) - number.index(b".") - 1 if b"." in number else 0
    f_num, f_den = MG_PER_UNIT[unit.decode("ascii") if unit else "kg"]
    weight = round_half_away(int(digits) * f_num, f_den * 10 ** decimals)
    return {
        "protocol": PROTOCOL,
        "weight_mg": weight,
        "stable": True,
        "net": net == b"N",
        "overload": False,
    }


ACK = "ack"


def classify(content):
    """Rules 2-5 on the bytes between STX and CR: a frame dict, ACK, or None (reject)."""
    if content == b"" or content == b"E":          # rule 4
        return ACK
    if len(content) == 2 and content[0] == QUESTION:  # rule 2
        return status_frame(content[1])
    return weight_frame(content)                   # rule 3, else rule 5 (None)


def try_reply(data, i):
    """Rule 1 at an STX at offset i. Returns ("ok", cr_offset, classified) or
    ("reject", reason)."""
    size = len(data)
    last = min(i + CR_WINDOW, size - 1)
    for k in range(i + 1, last + 1):
        if data[k] == CR:
            result = classify(bytes(data[i + 1:k]))
            if result is None:
                return ("reject", "bad_field")
            return ("ok", k, result)
    if i + CR_WINDOW <= size - 1:
        return ("reject", "bad_terminator")
    return ("reject", "truncated")


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
        outcome = try_reply(data, i)
        if outcome[0] == "reject":
            if pending is None:
                pending = (i, outcome[1])
            i += 1
            continue
        _, cr, result = outcome
        if pending is not None:
            yield pending[0], i, {"error": pending[1], "offset": pending[0]}
            pending = None
        if result is not ACK:
            yield i, cr + 1, result
        i = cr + 1
    if pending is not None:
        yield pending[0], size, {"error": pending[1], "offset": pending[0]}


if __name__ == "__main__":
    sys.exit(decode_tools.main(sys.argv, decode))
