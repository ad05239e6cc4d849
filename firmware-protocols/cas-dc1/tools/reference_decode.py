#!/usr/bin/env python3
"""Reference decoder for the `cas-dc1` protocol (Python 3, stdlib only).

What it is for
    An implementation of the decoding rules in ../SPEC.md (section 7, which restates
    rules 7.5 of the engineers' fact sheet, and section 10, the error-line policy),
    written independently of the Swift decoder in StallProtocols. It produces the golden
    files in ../captures/. When the two decoders disagree on a capture, one of them is
    wrong; the SPEC decides which.

Input assumptions
    The whole input is one file holding the scale's side of the ENQ/ACK/DC1 exchange
    only (never the host's ENQ and DC1/DC2/DC3 bytes): ACK and NAK bytes, and replies
    SOH (STX ... BCC ETX)+ EOT. It may start or end inside a reply and hold line noise.

Output
    One canonical JSON line per accepted reply or per error line, in input order:
        frame: {"net":false,"overload":B,"protocol":"cas-dc1","stable":B,"weight_mg":I
                [,"total_fen":I][,"unit_price_fen":I][,"plu":I]}
        error: {"error":REASON,"offset":N}
    Canonical means json.dumps(obj, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False).

Resync rule in one sentence
    Skip ACK and NAK; hunt for SOH followed by STX; a candidate whose blocks cannot be
    delimited is rejected and hunting resumes at the byte after its SOH, and every
    maximal run of bytes (ACK/NAK aside) that starts no delimited reply becomes one error
    line at the run's first byte.

Invariants
    No floating point anywhere: weights and money are integers, unit factors are exact
    fractions, and rounding is half away from zero on integers.

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

PROTOCOL = "cas-dc1"

SOH = 0x01
STX = 0x02
ETX = 0x03
EOT = 0x04
ACK = 0x06
NAK = 0x15
SPACE = 0x20
MINUS = 0x2D
DOT = 0x2E
COMMA = 0x2C

# Rule 2: the ETX of a block started by an STX at p lies at p+2 .. p+20.
ETX_FIRST = 2
ETX_LAST = 20
# Rule 3: a reply has 1, 3 or 4 blocks; a fifth block cannot be a reply.
MAX_BLOCKS = 4
# SPEC 7, clarifications to rules 4 and 6: the most digits a field may carry.
MAX_WEIGHT_DIGITS = 8
MAX_PRICE_DIGITS = 13
MAX_PLU_DIGITS = 15

# Milligrams per unit as an exact fraction (numerator, denominator); keys lower case.
MG_PER_UNIT = {
    "kg": (1000000, 1),
    "g": (1000, 1),
    "lb": (45359237, 100),
    "oz": (28349523125, 1000000),
    "sj": (500000, 1),
    "tj": (600000, 1),
    "tl": (37500, 1),
}

REASONS = ("garbage", "bad_field", "bad_checksum", "bad_terminator",
           "unsupported_unit", "truncated")


def xor_all(data):
    x = 0
    for byte in data:
        x ^= byte
    return x


def is_digit(byte):
    return 0x30 <= byte <= 0x39


def is_letter(byte):
    return 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A


# ---------------------------------------------------------------- rules 1-2: framing

class Outcome:
    """What a candidate at an SOH turned out to be."""

    __slots__ = ("kind", "reason", "end", "blocks")

    def __init__(self, kind, reason=None, end=None, blocks=None):
        self.kind = kind          # "none" (SOH not followed by STX), "rejected", "reply"
        self.reason = reason      # rejection reason
        self.end = end            # offset just after EOT for a delimited reply
        self.blocks = blocks      # [(stx, etx)] for a delimited reply


def scan_block(data, p, first):
    """Rule 2 at an STX at p. Returns ("etx", k), ("rejected", reason) or ("truncated",)."""
    size = len(data)
    xor = 0                     # reading A over data[p+1 .. k-2]
    saw_bad_bcc = False
    for k in range(p + ETX_FIRST, p + ETX_LAST + 1):
        if k >= size:
            return ("truncated",)
        if k >= p + 3:
            xor ^= data[k - 2]
        if data[k] != ETX:
            continue
        bcc = data[k - 1]
        if bcc == xor or (first and bcc == xor ^ 0x01):
            if k + 1 >= size:
                return ("truncated",)
            if data[k + 1] in (STX, EOT):
                return ("etx", k)
        else:
            saw_bad_bcc = True
    return ("rejected", "bad_checksum" if saw_bad_bcc else "bad_terminator")


def try_reply(data, i):
    """Rules 1-3 (delimiting only) at an SOH at offset i."""
    size = len(data)
    if i + 1 >= size:
        return Outcome("rejected", "truncated")
    if data[i + 1] != STX:
        return Outcome("none")
    blocks = []
    p = i + 1
    while True:
        result = scan_block(data, p, first=not blocks)
        if result[0] == "truncated":
            return Outcome("rejected", "truncated")
        if result[0] == "rejected":
            return Outcome("rejected", result[1])
        k = result[1]
        blocks.append((p, k))
        if data[k + 1] == EOT:
            return Outcome("reply", end=k + 2, blocks=blocks)
        if len(blocks) == MAX_BLOCKS:      # a fifth STX: no reply has five blocks
            return Outcome("rejected", "bad_terminator")
        p = k + 1


# ---------------------------------------------------------------- rules 3-6: content

def parse_weight(payload):
    """Rule 4 and 5. Returns ("state",), ("weight", mg, stable, unit) or ("error", reason)."""
    if not payload or payload[0] not in b"SUF":
        return ("error", "bad_field")
    if payload[0] == ord("F") or (len(payload) > 1 and payload[1] == ord("F")):
        return ("state",)
    if len(payload) < 2 or payload[1] not in (SPACE, MINUS):
        return ("error", "bad_field")
    rest = payload[2:]
    letters = 0
    while letters < len(rest) and is_letter(rest[len(rest) - 1 - letters]):
        letters += 1
    if letters not in (1, 2):
        return ("error", "bad_field")
    middle = rest[:len(rest) - letters]
    unit = rest[len(rest) - letters:].decode("ascii").lower()
    n = 0
    digits = 0
    decimals = 0
    point = False
    for byte in middle:
        if byte == SPACE:
            continue
        if byte == DOT:
            if point:
                return ("error", "bad_field")
            point = True
            continue
        if not is_digit(byte):
            return ("error", "bad_field")
        n = n * 10 + (byte - 0x30)
        digits += 1
        if point:
            decimals += 1
    if digits == 0 or digits > MAX_WEIGHT_DIGITS:
        return ("error", "bad_field")
    if unit not in MG_PER_UNIT:
        return ("error", "unsupported_unit")
    f_num, f_den = MG_PER_UNIT[unit]
    mg = round_half_away(n * f_num, f_den * 10 ** decimals)
    if payload[1] == MINUS:
        mg = -mg
    return ("weight", mg, payload[0] == ord("S"), unit)


def parse_price(payload):
    """Rule 6: a price block in yuan -> fen, or None when it is not a number in fen."""
    whole = 0
    fraction = []
    digits = 0
    separator = False
    for byte in payload:
        if byte == SPACE:
            continue
        if byte in (DOT, COMMA):
            if separator:
                return None
            separator = True
            continue
        if not is_digit(byte):
            return None
        digits += 1
        if separator:
            fraction.append(byte - 0x30)
        else:
            whole = whole * 10 + (byte - 0x30)
    if digits == 0 or digits > MAX_PRICE_DIGITS:
        return None
    if any(fraction[2:]):                  # more than two decimals: only zeros allowed
        return None
    fen_part = (fraction + [0, 0])[:2]
    return whole * 100 + fen_part[0] * 10 + fen_part[1]


def parse_plu(payload):
    """Rule 6: digits and spaces -> PLU number, or None."""
    n = 0
    digits = 0
    for byte in payload:
        if byte == SPACE:
            continue
        if not is_digit(byte):
            return None
        n = n * 10 + (byte - 0x30)
        digits += 1
    if digits == 0 or digits > MAX_PLU_DIGITS:
        return None
    return n


def decode_reply(data, blocks):
    """Rules 3-6 on a delimited reply. Returns a frame dict or an error reason string."""
    payloads = [data[p + 1:k - 1] for p, k in blocks]
    count = len(payloads)
    if count == 1:
        weight_block, prices = payloads[0], None
    elif count in (3, 4):
        weight_block, prices = payloads[1], payloads
    else:
        return "bad_field"
    weight = parse_weight(weight_block)
    if weight[0] == "error":
        return weight[1]
    if weight[0] == "state":
        frame = {"protocol": PROTOCOL, "weight_mg": 0, "stable": False, "net": False,
                 "overload": True}
        unit = None
    else:
        _, mg, stable, unit = weight
        frame = {"protocol": PROTOCOL, "weight_mg": mg, "stable": stable, "net": False,
                 "overload": False}
    if prices is not None:
        total = parse_price(prices[0])
        if total is not None:
            frame["total_fen"] = total
        unit_price = parse_price(prices[2])
        if unit_price is not None and unit == "kg":
            frame["unit_price_fen"] = unit_price
        elif unit_price is not None and unit == "sj":
            frame["unit_price_fen"] = unit_price * 2
        if count == 4:
            plu = parse_plu(prices[3])
            if plu is not None:
                frame["plu"] = plu
    return frame


# ---------------------------------------------------------------- error-line policy

def decode(data):
    """Yield (start, end, obj) for every frame and error line, in input order."""
    size = len(data)
    pending = None          # (offset, reason) of the current rejected run, or None
    i = 0
    while i < size:
        byte = data[i]
        if byte in (ACK, NAK):
            i += 1
            continue
        if byte != SOH:
            if pending is None:
                pending = (i, "garbage")
            i += 1
            continue
        outcome = try_reply(data, i)
        if outcome.kind == "none":
            if pending is None:
                pending = (i, "garbage")
            i += 1
            continue
        if outcome.kind == "rejected":
            if pending is None:
                pending = (i, outcome.reason)
            i += 1
            continue
        if pending is not None:
            yield pending[0], i, {"error": pending[1], "offset": pending[0]}
            pending = None
        result = decode_reply(data, outcome.blocks)
        if isinstance(result, str):
            yield i, outcome.end, {"error": result, "offset": i}
        else:
            yield i, outcome.end, result
        i = outcome.end
    if pending is not None:
        yield pending[0], size, {"error": pending[1], "offset": pending[0]}


if __name__ == "__main__":
    sys.exit(decode_tools.main(sys.argv, decode))
