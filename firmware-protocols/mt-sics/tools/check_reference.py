#!/usr/bin/env python3
"""Self-check of tools/reference_decode.py (Python 3, stdlib only).

What it checks
    1. The worked examples of SPEC.md section 6: the New Classic reply
       `S S     100.00 g` CR LF byte for byte (100000 mg), the Janelia reading -0.0082 g
       (-8 mg), and the conversions of the fact sheet 2.3 that apply to MT-SICS units.
    2. A table of small cases, one per rule, clarification or policy clause, each named
       by a sentence.
    3. Every capture: the golden file equals the decoder's current output, and the frame
       count and error-line offsets equal the `Expected frames` / `Expected error offsets`
       that tools/make_captures.py wrote into the header from its own intent.

Usage
    python3 tools/check_reference.py        # prints one line per failure, exit 1 if any
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

decode = objects_of(rd.decode)


def frame(weight_mg, stable=True, overload=False):
    return {"protocol": "mt-sics", "weight_mg": weight_mg, "stable": stable,
            "net": False, "overload": overload}


OVER = frame(0, stable=False, overload=True)

# The New Classic example of [S11], byte for byte: `S S     100.00 g` CR LF.
NEW_CLASSIC = h("53 20 53 20 20 20 20 20 31 30 30 2E 30 30 20 67 0D 0A")
KG = b"S S      1.234 kg\r\n"          # 19 bytes; 1.234 kg
KG_FRAME = frame(1234000)


def check_worked_examples():
    if NEW_CLASSIC != b"S S     100.00 g\r\n":
        fail("worked example: the hex does not spell the [S11] line")
    if NEW_CLASSIC[4:14] != b"    100.00" or len(NEW_CLASSIC[4:14]) != 10:
        fail("worked example: positions 4-13 are not the 10-character value field")
    # N = 10000, d = 2, g = 1000 mg: 10000 * 1000 / 10^2 = 100000 mg.
    if rd.round_half_away(10000 * 1000, 10 ** 2) != 100000:
        fail("worked example: 10000 * 1000 / 100 is not 100000")
    got = decode(NEW_CLASSIC)
    if got != [frame(100000)]:
        fail("worked example New Classic: got %r" % got)
    line = rd.canonical(got[0]) if got else ""
    want_line = ('{"net":false,"overload":false,"protocol":"mt-sics",'
                 '"stable":true,"weight_mg":100000}')
    if line != want_line:
        fail("worked example: canonical line %s" % line)
    # The Janelia driver's reading [-0.0082, 'g'] [S12]: N = 82, d = 4, -8.2 mg -> -8.
    got = decode(b"S S    -0.0082 g\r\n")
    if got != [frame(-8)]:
        fail("worked example -0.0082 g: got %r" % got)
    # Fact sheet 2.3 examples in MT-SICS units.
    for text, unit, want in (("1.234", "kg", 1234000), ("0.50", "lb", 226796),
                             ("1.00", "oz", 28350), ("-0.0082", "g", -8),
                             ("0.00005", "g", 0)):
        got = rd.to_mg(text.encode("ascii"), unit)
        if got != want:
            fail("fact sheet 2.3: %s %s gives %r, want %d" % (text, unit, got, want))


def cases():
    return [
        # Rule 1: lines.
        ("an empty file gives no output", b"", []),
        ("a reply ended by LF alone decodes (one CR is dropped only if present)",
         b"S S      1.234 kg\n", [KG_FRAME]),
        ("a reply without LF at the end of the file is one truncated error",
         b"S S      1.234 kg\r", [err(0, "truncated")]),
        ("bytes after the last LF are a truncated error at their first byte",
         KG + b"S S", [KG_FRAME, err(19, "truncated")]),
        ("empty lines and lone CR LF lines produce nothing",
         b"\n\r\n" + KG + b"\n", [KG_FRAME]),
        ("only one CR is dropped: CR CR LF leaves a CR that spoils the reply",
         b"S S      1.234 kg\r\r\n" + KG, [err(0, "garbage"), KG_FRAME]),
        ("a CR inside a line is an ordinary byte: CR-only replies run into one line",
         b"S S      9.999 kg\rS S      1.234 kg\r\n", [err(0, "garbage"), frame(1234000)]),
        # Rule 2: the weight reply.
        ("status D gives stable false", b"S D      1.234 kg\r\n", [frame(1234000, stable=False)]),
        ("the number of spaces does not matter", b"S S 1.234 kg\r\nS D     1.234    kg   \r\n",
         [KG_FRAME, frame(1234000, stable=False)]),
        ("a value without decimal point is whole units", b"S S 5 g\r\n", [frame(5000)]),
        ("garbage before the reply is one error at the line start, then the frame",
         b"xyzS S      1.234 kg\r\n", [err(0, "garbage"), KG_FRAME]),
        ("a torn reply followed by a whole one on the same line keeps the whole one",
         b"S S     12S D      1.234 kg\r\n", [err(0, "garbage"), frame(1234000, stable=False)]),
        ("a reply cut before its unit is garbage", b"S S      1.234\r\n" + KG,
         [err(0, "garbage"), KG_FRAME]),
        ("a plus sign is not part of the value grammar", b"S S     +1.234 kg\r\n",
         [err(0, "garbage")]),
        ("a value starting with a point is not a value", b"S S .5 kg\r\n", [err(0, "garbage")]),
        ("a value ending with a point is not a value", b"S S 5. kg\r\n", [err(0, "garbage")]),
        ("a comma is not a decimal point", b"S S 1,234 kg\r\n", [err(0, "garbage")]),
        ("two spaces between S and the status are not the reply",
         b"S  S 1.234 kg\r\n", [err(0, "garbage")]),
        ("the reply ID must be S: a tare reply is no frame", b"T S      0.150 kg\r\n" + KG,
         [KG_FRAME]),
        ("something after the unit other than spaces spoils the reply",
         b"S S      1.234 kg x\r\n", [err(0, "garbage")]),
        ("-0 decodes to weight 0", b"S S     -0.000 kg\r\n", [frame(0)]),
        # Rule 3: S + and S -.
        ("S + is an overload frame", b"S +\r\n", [OVER]),
        ("S - is an overload frame too (both range directions)", b"S -\r\n", [OVER]),
        ("S + with trailing spaces is still a frame", b"S +   \r\n", [OVER]),
        ("garbage before S - is one error, then the frame", b"ab\x00S -\r\n",
         [err(0, "garbage"), OVER]),
        ("S  + with two spaces is garbage", b"S  +\r\n", [err(0, "garbage")]),
        ("S + followed by a value is garbage", b"S + 7.000 kg\r\n", [err(0, "garbage")]),
        # Rule 4: units.
        ("mg is 1 mg per unit", b"S S   123.4567 mg\r\n", [frame(123)]),
        ("12.5 mg rounds half away from zero to 13", b"S S 12.5 mg\r\n", [frame(13)]),
        ("-12.5 mg rounds half away from zero to -13", b"S D -12.5 mg\r\n",
         [frame(-13, stable=False)]),
        ("50.000 lb is 22679619 mg (22679618.5 rounded away from zero)",
         b"S S     50.000 lb\r\n", [frame(22679619)]),
        ("1.00 oz is 28350 mg", b"S S       1.00 oz\r\n", [frame(28350)]),
        ("a unit outside the table is one unsupported_unit error",
         b"S S         12 PCS\r\n" + KG, [err(0, "unsupported_unit"), KG_FRAME]),
        ("units are case-sensitive: KG is not kg", b"S S      1.234 KG\r\n",
         [err(0, "unsupported_unit")]),
        ("garbage before an unsupported unit still gives one error line only",
         b"zzS S 3 ct\r\n", [err(0, "unsupported_unit")]),
        # Rule 5: other lines.
        ("ES, ET, EL, S I, Z, T and I4 replies produce nothing",
         b"ES\r\nET\r\nEL\r\nS I\r\nZ A\r\nZ I\r\nZ +\r\nZ -\r\nT I\r\nT +\r\nT -\r\n"
         b"T S      0.150 kg\r\nI4 A \"1234567890\"\r\nES  \r\n", []),
        ("an unknown reply is one garbage error", b"XY\r\n", [err(0, "garbage")]),
        ("a known reply with garbage before it is garbage", b"xES\r\n", [err(0, "garbage")]),
        ("a quote inside the I4 text makes the line garbage", b"I4 A \"12\"34\"\r\n",
         [err(0, "garbage")]),
        ("every garbage line is its own error line",
         b"aa\nbb\r\n" + KG + b"cc\n", [err(0, "garbage"), err(3, "garbage"), KG_FRAME,
                                        err(26, "garbage")]),
        # Clarifications: length limits and range.
        ("a reply of exactly 64 bytes from S to the line end decodes",
         b"S S" + b" " * 53 + b"1.234 kg\r\n", [KG_FRAME]),
        ("a reply of 65 bytes from S to the line end is garbage",
         b"S S" + b" " * 54 + b"1.234 kg\r\n", [err(0, "garbage")]),
        ("trailing spaces count towards the 64 bytes",
         b"S S 1.234 kg" + b" " * 53 + b"\r\n", [err(0, "garbage")]),
        ("S + followed by 61 spaces is 64 bytes and decodes", b"S +" + b" " * 61 + b"\r\n", [OVER]),
        ("S + followed by 62 spaces is garbage", b"S +" + b" " * 62 + b"\r\n",
         [err(0, "garbage")]),
        ("a long garbage line ending in a reply keeps the reply",
         b"\xff" * 500 + KG, [err(0, "garbage"), KG_FRAME]),
        ("a known reply of 64 bytes produces nothing",
         b"I4 A \"" + b"9" * 57 + b"\"\r\n", []),
        ("a known reply of 65 bytes is garbage",
         b"I4 A \"" + b"9" * 58 + b"\"\r\n", [err(0, "garbage")]),
        ("a 10-character value decodes", b"S S -12345.678 g\r\n", [frame(-12345678)]),
        ("an 11-character value is one bad_field error", b"S S 123456.7890 g\r\n",
         [err(0, "bad_field")]),
        ("a 17-character value is bad_field even though 9007199.254740991 kg fits in 2^53-1 mg",
         b"S S 9007199.254740991 kg\r\n", [err(0, "bad_field")]),
        ("9007199255 kg exceeds 2^53-1 mg: bad_field", b"S S 9007199255 kg\r\n",
         [err(0, "bad_field")]),
        ("9007199254 kg is just within 2^53-1 mg", b"S S 9007199254 kg\r\n", [frame(9007199254000000)]),
        ("9999999999 oz is 283495231221650.476875 mg, within range",
         b"S S 9999999999 oz\r\n", [frame(283495231221650)]),
    ]


def check_cases():
    check_each_case(cases(), decode)


def check_captures():
    bins = capture_paths(CAPTURES)
    if not bins:
        fail("no captures found in %s" % CAPTURES)
    total = [0, 0]
    for c in check_each_capture(bins, decode, rd.canonical):
        total[0] += 1
        total[1] += c.frames
    return total


def main():
    check_worked_examples()
    check_cases()
    captures, frames = check_captures()
    if failures:
        print("mt-sics: %d failure(s)" % len(failures))
        return 1
    print("mt-sics: all checks passed (%d cases, %d captures, %d frames)"
          % (len(cases()), captures, frames))
    return 0


if __name__ == "__main__":
    sys.exit(main())
