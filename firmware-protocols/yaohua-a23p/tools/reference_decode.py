#!/usr/bin/env python3
"""Reference decoder for the `yaohua-a23p` protocol (Python 3, stdlib only).

What it is for
    An implementation of the decoding rules in ../SPEC.md (section 7, which restates
    rules 8.4 of the engineers' fact sheet) written independently of the Swift decoder in
    StallProtocols. It produces the golden files in ../captures/. When the two decoders
    disagree on a capture, one of them is wrong; the SPEC decides which.

Input assumptions
    The whole input is one file of raw bytes exactly as delivered by the UART at 8N1: it
    may start or end in the middle of a frame, hold line noise between frames, and mix the
    two decoded layouts (format P, 27 bytes starting with '='; format X, 12 bytes starting
    with STX). Frames follow each other with no terminator.

Output
    One canonical JSON line per accepted frame or per error line, in input order:
        frame: {"net":false,"overload":false,"protocol":"yaohua-a23p","stable":B,
                ["total_fen":I,] ["unit_price_fen":I,] "weight_mg":I}
               (format P kg: both money members; format P lb: total_fen only;
                format X: neither)
        error: {"error":REASON,"offset":N}
    Canonical means json.dumps(obj, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False).

Resync rule in one sentence
    Hunt for '=' or STX; a rejected candidate at i resumes hunting at i+1, and every maximal
    run of bytes that does not start an accepted frame becomes one error line at the run's
    first byte (a complete, valid `pc` frame is one unsupported_unit line of its own).

Invariants
    No floating point anywhere: weights and money are integers, the lb factor is an exact
    fraction, and rounding is half away from zero on integers.

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

PROTOCOL = "yaohua-a23p"

STX = 0x02
ETX = 0x03
EQUALS = 0x3D
SEMICOLON = 0x3B
DOT = 0x2E
PLUS = 0x2B
MINUS = 0x2D
ZERO = 0x30

P_LENGTH = 27
X_LENGTH = 12

# Milligrams per unit as an exact fraction (numerator, denominator); fact sheet 2.3.
MG_PER_UNIT = {
    "kg": (1000000, 1),
    "lb": (45359237, 100),
}

# Format P units: first byte -> (second byte, unit name).
P_UNITS = {ord("k"): (ord("g"), "kg"), ord("l"): (ord("b"), "lb"), ord("p"): (ord("c"), "pc")}

REASONS = ("garbage", "bad_field", "bad_checksum", "bad_terminator",
           "unsupported_unit", "truncated")


def is_digit(byte):
    return 0x30 <= byte <= 0x39


def hex_char(nibble):
    """Uppercase hex character of a nibble: 0-9 -> 0x30+n, A-F -> 0x37+n (fact sheet 8.2)."""
    return nibble + (0x30 if nibble < 10 else 0x37)


def xor_of(data):
    x = 0
    for byte in data:
        x ^= byte
    return x


def decimal_field(field):
    """(N, d) of a field of digits with at most one '.': all digits as one integer N and
    d = the number of digits after the point (0 without a point)."""
    n = 0
    d = 0
    seen_dot = False
    for byte in field:
        if byte == DOT:
            seen_dot = True
            continue
        n = n * 10 + (byte - ZERO)
        if seen_dot:
            d += 1
    return n, d


def yuan_to_fen(field):
    """Fact sheet 2.4: yuan x 100 exactly; the field was already checked to carry no
    non-zero digit beyond the second decimal."""
    n, d = decimal_field(field)
    if d <= 2:
        return n * 10 ** (2 - d)
    return n // 10 ** (d - 2)


class Checker:
    """Walks a candidate position by position. The first position that fails names the
    reason; if the input ends before any position fails, the candidate is truncated."""

    __slots__ = ("data", "start")

    def __init__(self, data, start):
        self.data = data
        self.start = start

    def at(self, position):
        k = self.start + position
        return self.data[k] if k < len(self.data) else None


def check_number_field(c, first, last, money):
    """Positions first..last: digits with at most one '.'. For money fields (fact sheet
    2.4) a digit more than two places after the point must be '0'. Returns None when every
    position is present and valid, else a reason ('bad_field' or 'truncated')."""
    dot = None
    for position in range(first, last + 1):
        b = c.at(position)
        if b is None:
            return "truncated"
        if b == DOT:
            if dot is not None:
                return "bad_field"
            dot = position
        elif not is_digit(b):
            return "bad_field"
        elif money and dot is not None and position - dot > 2 and b != ZERO:
            return "bad_field"
    return None


def try_format_p(data, i):
    """Rule 1 (format P layout, SPEC section 3.1) at an '=' at offset i.
    Returns ("frame", unit) or ("reject", reason)."""
    c = Checker(data, i)
    b = c.at(1)
    if b is None:
        return "reject", "truncated"
    if b not in (ZERO, MINUS):
        return "reject", "bad_field"
    r = check_number_field(c, 2, 8, money=False)
    if r:
        return "reject", r
    b = c.at(9)
    if b is None:
        return "reject", "truncated"
    if b not in P_UNITS:
        return "reject", "bad_field"
    second, unit = P_UNITS[b]
    b = c.at(10)
    if b is None:
        return "reject", "truncated"
    if b != second:
        return "reject", "bad_field"
    for sep, (first, last) in ((11, (12, 18)), (19, (20, 26))):
        b = c.at(sep)
        if b is None:
            return "reject", "truncated"
        if b != SEMICOLON:
            return "reject", "bad_field"
        r = check_number_field(c, first, last, money=True)
        if r:
            return "reject", r
    return "frame", unit


def try_format_x(data, i):
    """Rule 1 (format X layout, SPEC section 3.2) at an STX at offset i.
    Returns ("frame", None) or ("reject", reason)."""
    c = Checker(data, i)
    b = c.at(1)
    if b is None:
        return "reject", "truncated"
    if b not in (PLUS, MINUS):
        return "reject", "bad_field"
    for position in range(2, 8):
        b = c.at(position)
        if b is None:
            return "reject", "truncated"
        if not is_digit(b):
            return "reject", "bad_field"
    b = c.at(8)
    if b is None:
        return "reject", "truncated"
    if not (ZERO <= b <= ZERO + 4):
        return "reject", "bad_field"
    x = xor_of(data[i + 1:i + 9])
    for position, nibble in ((9, x >> 4), (10, x & 0x0F)):
        b = c.at(position)
        if b is None:
            return "reject", "truncated"
        if b != hex_char(nibble):
            return "reject", "bad_checksum"
    b = c.at(11)
    if b is None:
        return "reject", "truncated"
    if b != ETX:
        return "reject", "bad_terminator"
    return "frame", None


def weight_p(data, i, unit):
    """Rule 2: weight from positions 2-8, sign at 1."""
    n, d = decimal_field(data[i + 2:i + 9])
    f_num, f_den = MG_PER_UNIT[unit]
    mg = round_half_away(n * f_num, f_den * 10 ** d)
    return -mg if data[i + 1] == MINUS else mg


def weight_x(data, i):
    """Rule 3: six digits / 10^decimals kg, negated for '-'."""
    n, _ = decimal_field(data[i + 2:i + 8])
    d = data[i + 8] - ZERO
    mg = n * 1000000 // 10 ** d          # exact: d <= 4
    return -mg if data[i + 1] == MINUS else mg


def decode(data):
    """Yield (start, end, obj) for every frame and error line, in input order."""
    size = len(data)
    pending = None          # (offset, reason) of the current rejected run, or None
    previous = None         # weight_mg of the previous frame (rule 4), or None
    i = 0
    while i < size:
        byte = data[i]
        if byte == EQUALS:
            kind, detail = try_format_p(data, i)
            length = P_LENGTH
        elif byte == STX:
            kind, detail = try_format_x(data, i)
            length = X_LENGTH
        else:
            if pending is None:
                pending = (i, "garbage")
            i += 1
            continue
        if kind == "reject":
            if pending is None:
                pending = (i, detail)
            i += 1
            continue
        if pending is not None:
            yield pending[0], i, {"error": pending[1], "offset": pending[0]}
            pending = None
        end = i + length
        if byte == EQUALS and detail == "pc":
            # Rule 2: counting, not weighing. One error line; does not touch `previous`.
            yield i, end, {"error": "unsupported_unit", "offset": i}
            i = end
            continue
        frame = {"protocol": PROTOCOL, "net": False, "overload": False}
        if byte == EQUALS:
            frame["weight_mg"] = weight_p(data, i, detail)
            frame["total_fen"] = yuan_to_fen(data[i + 20:i + 27])
            if detail == "kg":
                frame["unit_price_fen"] = yuan_to_fen(data[i + 12:i + 19])
        else:
            frame["weight_mg"] = weight_x(data, i)
        frame["stable"] = previous is not None and frame["weight_mg"] == previous
        previous = frame["weight_mg"]
        yield i, end, frame
        i = end
    if pending is not None:
        yield pending[0], size, {"error": pending[1], "offset": pending[0]}


if __name__ == "__main__":
    sys.exit(decode_tools.main(sys.argv, decode))
