#!/usr/bin/env python3
"""Self-check of tools/reference_decode.py (Python 3, stdlib only).

What it checks
    1. The worked examples of SPEC.md section 5: the status reply `02 3F 41 0D` (motion),
       a kg weight reply, the echo-probe reply `02 45 0D 68 65 6C 6C 6F`, and the 7E1
       parity bits printed for the status reply's bytes (the protocol has no checksum;
       character parity is its only check).
    2. A table of small cases, one per rule or policy clause, each named by a sentence.
    3. Every capture: the golden file equals the decoder's current output, and the frame
       count and error-line offsets equal the `Expected frames` / `Expected error offsets`
       that tools/make_captures.py wrote into the header from its own intent.

Usage
    python3 tools/check_reference.py
    Prints one line per failure and a final summary line; exit status 1 if anything failed.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep the repository free of __pycache__
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "scripts", "protocol-tools"))

import reference_decode as rd  # noqa: E402
from check_tools import (capture_paths, check_each_capture, check_each_case,  # noqa: E402
                         err, fail, failures, h, objects_of)

CAPTURES = os.path.join(os.path.dirname(HERE), "captures")

checked = {"worked": 0, "cases": 0, "captures": 0}

decode = objects_of(rd.decode)


def frame(weight_mg=0, stable=True, net=False, overload=False):
    return {"protocol": "toledo-8217", "weight_mg": weight_mg, "stable": stable,
            "net": net, "overload": overload}


def status(net=False, overload=False):
    return frame(0, stable=False, net=net, overload=overload)


def r(content):
    """STX content CR."""
    if isinstance(content, str):
        content = content.encode("ascii")
    return b"\x02" + content + b"\r"


# ------------------------------------------------------------------ worked examples

STATUS_MOTION = h("02 3F 41 0D")                  # fact sheet 4.2
WEIGHT_1234 = h("02 30 31 2E 32 33 34 0D")        # `01.234` kg, SPEC.md 5.2
ECHO_REPLY = h("02 45 0D 68 65 6C 6C 6F")         # fact sheet 4.4


def even_parity_bit(byte):
    """The parity bit a 7E1 sender adds: 1 when bits 0-6 hold an odd number of ones."""
    return bin(byte & 0x7F).count("1") % 2


def check_worked_examples():
    checked["worked"] += 1
    got = decode(STATUS_MOTION)
    if got != [status()]:
        fail("worked example 02 3F 41 0D: got %r, want one status frame" % got)
    if STATUS_MOTION[2] & 0x01 != 1 or STATUS_MOTION[2] & 0x40 == 0:
        fail("worked example: 0x41 should have bit 0 (motion) and bit 6 set")
    line = rd.canonical(got[0]) if got else ""
    want = ('{"net":false,"overload":false,"protocol":"toledo-8217","stable":false,'
            '"weight_mg":0}')
    if line != want:
        fail("worked example: canonical status line %s" % line)

    checked["worked"] += 1
    got = decode(WEIGHT_1234)
    if got != [frame(1234000)]:
        fail("worked example 01.234: got %r" % got)
    # N = 1234, d = 3, kg: 1234 * 1000000 / 10^3 = 1234000 (SPEC.md 5.2)
    if rd.round_half_away(1234 * 1000000, 10 ** 3) != 1234000:
        fail("worked example 01.234: arithmetic")

    checked["worked"] += 1
    got = decode(ECHO_REPLY)
    if got != [err(3, "garbage")]:
        fail("worked example echo reply: got %r, want no frame and garbage at 3" % got)

    # 7E1 parity of the status reply's bytes, as printed in SPEC.md 5.1.
    checked["worked"] += 1
    want_parity = {0x02: 1, 0x3F: 0, 0x41: 0, 0x0D: 1}
    for byte, bit in want_parity.items():
        if even_parity_bit(byte) != bit:
            fail("worked example parity of %#04x: %d, SPEC says %d"
                 % (byte, even_parity_bit(byte), bit))
    if even_parity_bit(ord("W")) != 1:
        fail("worked example: parity of W (0x57, five ones) should be 1")


# ------------------------------------------------------------------ rule cases

def cases():
    return [
        # Rule 1
        ("an empty file gives no output", b"", []),
        ("a lone STX at end of file is one truncated error", h("02"), [err(0, "truncated")]),
        ("garbage alone is one error line at offset 0", b"hello", [err(0, "garbage")]),
        ("a CR exactly ten bytes after STX (nine content bytes) is accepted",
         r("   01.234"), [frame(1234000)]),
        ("a CR eleven bytes after STX is a bad_terminator and the line is one error",
         r("    01.234") + STATUS_MOTION, [err(0, "bad_terminator"), status()]),
        ("ten bytes without CR after STX at end of file is bad_terminator, not truncated",
         b"\x02" + b"0" * 10, [err(0, "bad_terminator")]),
        ("nine bytes without CR after STX at end of file is truncated",
         b"\x02" + b"0" * 9, [err(0, "truncated")]),
        ("the first CR ends the content even when an STX comes before it",
         h("02 31") + STATUS_MOTION, [err(0, "bad_field"), status()]),
        ("a torn reply whose window reaches the next reply's CR is a bad_field",
         WEIGHT_1234[:2] + WEIGHT_1234, [err(0, "bad_field"), frame(1234000)]),
        ("a torn reply whose window ends before the next reply's CR is a bad_terminator",
         WEIGHT_1234[:4] + WEIGHT_1234, [err(0, "bad_terminator"), frame(1234000)]),
        ("a reply cut by end of file is one truncated error after the frames",
         WEIGHT_1234 + WEIGHT_1234[:5], [frame(1234000), err(8, "truncated")]),
        ("a flood of STX bytes is one error line and the reply after it decodes",
         b"\x02" * 50 + WEIGHT_1234, [err(0, "bad_terminator"), frame(1234000)]),
        # Rule 2
        ("status bit 0 is motion: stable false, weight 0", r("?A"), [status()]),
        ("status bit 1 is over capacity: overload", r("?B"), [status(overload=True)]),
        ("status bit 2 under zero is not an overload", r("?D"), [status()]),
        ("status bit 5 is net", r("?`"), [status(net=True)]),
        ("status bits 3, 4 and 6 set no flag", r("?X"), [status()]),
        ("a status byte with bit 7 set is read bit by bit",
         h("02 3F E2 0D"), [status(net=True, overload=True)]),
        ("a status byte equal to STX is still the status byte",
         h("02 3F 02 0D"), [status(overload=True)]),
        ("`?E` is a status reply (motion + under zero), not the echo acknowledgement",
         r("?E"), [status()]),
        ("`?` alone is rejected", r("?"), [err(0, "bad_field")]),
        ("`?` with two bytes is rejected", r("?AB"), [err(0, "bad_field")]),
        ("a space before `?` is rejected (rule 2 allows none)", r(" ?A"), [err(0, "bad_field")]),
        # Rule 3
        ("WW.WWW without unit is kg", r("01.234"), [frame(1234000)]),
        ("N before CR marks net", r("01.234N"), [frame(1234000, net=True)]),
        ("the DIVA lb form 0WW.WW is read as kg too", r("001.50"), [frame(1500000)]),
        ("leading spaces are allowed", r("   1.5"), [frame(1500000)]),
        ("a number without a point is whole units", r("12"), [frame(12000000)]),
        ("a number may start with the point", r(".5"), [frame(500000)]),
        ("a number may end with the point", r("5."), [frame(5000000)]),
        ("0.50 lb is 226796 mg (226796.185 rounded)", r("0.50lb"), [frame(226796)]),
        ("50.000 lb is 22679619 mg (22679618.5 rounded away from zero)",
         r("50.000lb"), [frame(22679619)]),
        ("1.00 oz is 28350 mg (28349.523125 rounded)", r("1.00oz"), [frame(28350)]),
        ("680 g is 680000 mg", r("680g"), [frame(680000)]),
        ("0.0005 g is 1 mg (0.5 rounded away from zero)", r(".0005g"), [frame(1)]),
        ("0.00005 g is 0 mg (0.05 rounded)", r(".00005g"), [frame(0)]),
        ("kg as a suffix is kg", r("0.680kg"), [frame(680000)]),
        ("spaces before and after the unit, then N (1.25 lb = 566990.4625 mg)",
         r("1.25 lb N"), [frame(566990, net=True)]),
        ("a trailing space after the unit is allowed", r("680g "), [frame(680000)]),
        ("a trailing space without a unit is rejected", r("01.234 "), [err(0, "bad_field")]),
        ("a space before N without a unit is rejected", r("01.234 N"), [err(0, "bad_field")]),
        ("two points are rejected", r("1.2.3"), [err(0, "bad_field")]),
        ("a point without digits is rejected", r("."), [err(0, "bad_field")]),
        ("N without digits is rejected", r("N"), [err(0, "bad_field")]),
        ("an upper-case unit is rejected", r("1.00KG"), [err(0, "bad_field")]),
        ("a unit not in the list is rejected", r("1.234t"), [err(0, "bad_field")]),
        ("a minus sign is rejected (8217 weights are never negative)",
         r("-1.234"), [err(0, "bad_field")]),
        ("a space between digits is rejected", r("1 234"), [err(0, "bad_field")]),
        ("N before the unit is rejected", r("1.25Nlb"), [err(0, "bad_field")]),
        # Rule 4
        ("the echo acknowledgement STX E CR gives no output", r("E"), []),
        ("the empty reply STX CR gives no output", r(""), []),
        ("a lower-case e is not the acknowledgement", r("e"), [err(0, "bad_field")]),
        ("echoed text after the acknowledgement is garbage", ECHO_REPLY + WEIGHT_1234,
         [err(3, "garbage"), frame(1234000)]),
        ("an acknowledgement ends a run: garbage on both sides is two error lines",
         b"xy" + r("E") + b"zz" + WEIGHT_1234,
         [err(0, "garbage"), err(5, "garbage"), frame(1234000)]),
        # Rule 5 and the error-line policy
        ("garbage before a rejected reply names the run garbage",
         b"zz" + r("01.2X4") + WEIGHT_1234, [err(0, "garbage"), frame(1234000)]),
        ("two faults separated by a good reply are two error lines",
         r("0X") + WEIGHT_1234 + b"\xff" + WEIGHT_1234,
         [err(0, "bad_field"), frame(1234000), err(12, "garbage"), frame(1234000)]),
    ]


def check_cases():
    checked["cases"] += check_each_case(cases(), decode)


# ------------------------------------------------------------------ captures

def check_captures():
    bins = capture_paths(CAPTURES)
    if len(bins) < 5:
        fail("%d captures found in %s, at least 5 expected" % (len(bins), CAPTURES))
    checked["captures"] += len(bins)
    for c in check_each_capture(bins, decode, rd.canonical):
        if c.frames == 0:
            fail("%s: no frames; a capture without frames proves nothing" % c.name)


def main():
    check_worked_examples()
    check_cases()
    check_captures()
    summary = ("toledo-8217: %d worked examples, %d rule cases, %d captures"
               % (checked["worked"], checked["cases"], checked["captures"]))
    if failures:
        print("%s: %d failure(s)" % (summary, len(failures)))
        return 1
    print("%s: all checks passed" % summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
