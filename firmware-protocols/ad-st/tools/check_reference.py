#!/usr/bin/env python3
"""Self-check of tools/reference_decode.py (Python 3, stdlib only).

What it checks
    1. The worked examples of SPEC.md section 5: the fact sheet's example lines of every
       layout, byte for byte as printed there, decode to the weights computed by hand, and
       the conversions of the fact sheet 2.3 (0.50 lb, 1.00 oz, -0.0082 g, 0.00005 g)
       come out as printed. The protocol has no checksum (fact sheet 6.3), so there is no
       checksum to compute.
    2. A table of small cases, one per rule, clarification or policy clause, each named by
       a sentence.
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


def frame(weight_mg, stable=True, net=False, overload=False):
    return {"protocol": "ad-st", "weight_mg": weight_mg, "stable": stable, "net": net,
            "overload": overload}


OVER = frame(0, stable=False, overload=True)


# The worked examples of SPEC.md section 5, as hex so that the bytes are unambiguous.
WORKED = [
    ("AD-4404 18 bytes ST,NT,+0012.34kg",
     h("53 54 2C 4E 54 2C 2B 30 30 31 32 2E 33 34 6B 67 0D 0A"), 18,
     [frame(12340000, net=True)]),
    ("A&D balance ST,+00123.45  g",
     h("53 54 2C 2B 30 30 31 32 33 2E 34 35 20 20 67 0D 0A"), 17,
     [frame(123450)]),
    ("GC comparator ST,OK,+0001.234 kg",
     h("53 54 2C 4F 4B 2C 2B 30 30 30 31 2E 32 33 34 20 6B 67 0D 0A"), 20,
     [frame(1234000)]),
    ("CAS 22 bytes, ID '1', lamp 0xC4 (stable, gross), 0013.500 kg",
     h("53 54 2C 47 53 2C 31 C4 2C 30 30 31 33 2E 35 30 30 20 6B 67 0D 0A"), 22,
     [frame(13500000)]),
    ("Chinese copy ST,GS,+  4.876kg",
     h("53 54 2C 47 53 2C 2B 20 20 34 2E 38 37 36 6B 67 0D 0A"), 18,
     [frame(4876000)]),
    ("Dini Argeo ST,GS,  123.45,kg",
     h("53 54 2C 47 53 2C 20 20 31 32 33 2E 34 35 2C 6B 67 0D 0A"), 19,
     [frame(123450000)]),
    ("A&D HC-i answer to ?WT: ST,+001.2346 kg",
     h("53 54 2C 2B 30 30 31 2E 32 33 34 36 20 6B 67 0D 0A"), 17,
     [frame(1234600)]),
    ("fact sheet 2.3: 0.50 lb is 226796 mg",
     b"ST,+000000.50 lb\r\n", None, [frame(226796)]),
    ("fact sheet 2.3: 1.00 oz is 28350 mg",
     b"ST,+000001.00 oz\r\n", None, [frame(28350)]),
    ("fact sheet 2.3: -0.0082 g is -8 mg",
     b"ST,-000.0082  g\r\n", None, [frame(-8)]),
    ("fact sheet 2.3: 0.00005 g is 0 mg",
     b"ST,+00.00005  g\r\n", None, [frame(0)]),
]


def check_worked_examples():
    for name, data, length, want in WORKED:
        if length is not None and len(data) != length:
            fail("worked example %s: %d bytes, expected %d" % (name, len(data), length))
        got = decode(data)
        if got != want:
            fail("worked example %s: got %r, want %r" % (name, got, want))
    # The hand computation of SPEC 5 for the AD-4404 line: N = 1234, d = 2, kg.
    if rd.round_half_away(1234 * 1000000, 1 * 10 ** 2) != 12340000:
        fail("worked example: 12.34 kg is not 12340000 mg")
    if rd.round_half_away(50 * 45359237, 100 * 10 ** 2) != 226796:
        fail("worked example: 0.50 lb is not 226796 mg")
    line = rd.canonical(decode(WORKED[0][1])[0])
    want_line = '{"net":true,"overload":false,"protocol":"ad-st","stable":true,"weight_mg":12340000}'
    if line != want_line:
        fail("worked example: canonical line %s" % line)


KG = b"ST,GS,+0001.234kg\r\n"      # 19 bytes
KG_FRAME = frame(1234000)


def cases():
    return [
        # Rule 1
        ("an empty file gives no output", b"", []),
        ("CR LF, CR alone and LF alone all end a line",
         b"ST,GS,+0001.234kg\r\nST,GS,+0001.234kg\rST,GS,+0001.234kg\n",
         [KG_FRAME, KG_FRAME, KG_FRAME]),
        ("empty pieces between terminators are ignored",
         b"\r\n\r\r\n\n" + KG + b"\n\r", [KG_FRAME]),
        ("an unterminated last piece is one truncated error, even if it would parse",
         KG + KG[:-2], [KG_FRAME, err(19, "truncated")]),
        ("a lone CR at end of file is nothing", KG + b"\r", [KG_FRAME]),
        # Rule 2
        ("a piece without a header is one garbage error at its first byte",
         b"hello\r\n" + KG, [err(0, "garbage"), KG_FRAME]),
        ("bytes before the header are one garbage error, then the frame at the header",
         b"xx" + KG, [err(0, "garbage"), KG_FRAME]),
        ("the last header on a piece wins (torn line glued to the next)",
         b"ST,GS,+00" + KG, [err(0, "garbage"), KG_FRAME]),
        ("headers are case-sensitive: st, is not a header",
         b"st,GS,+0001.234kg\r\n", [err(0, "garbage")]),
        ("the AD-4404 LO header is not decoded (fact sheet 11)",
         b"LO,GS,+    .  kg\r\n", [err(0, "garbage")]),
        ("C1: a frame longer than 64 bytes is garbage",
         b"ST,GS,+0001.234kg" + b" " * 48 + b"\r\n", [err(0, "garbage")]),
        ("C1: a frame of exactly 64 bytes is accepted",
         b"ST,GS,+0001.234kg" + b" " * 47 + b"\r\n", [KG_FRAME]),
        ("C1: a header further back than 64 bytes from the end is not seen",
         b"ST,GS,+0001.234kg" + b"x" * 60 + b"\r\n", [err(0, "garbage")]),
        # Rule 3
        ("header 2 NT makes the frame net", b"US,NT,-0000.500kg\r\n",
         [frame(-500000, stable=False, net=True)]),
        ("header 2 is optional", b"ST,+0001.234kg\r\n", [KG_FRAME]),
        ("comparator headers LO OK HI -- are header 2 and never net",
         b"ST,LO,+1kg\r\nST,OK,+1kg\r\nST,HI,+1kg\r\nST,--,+1kg\r\n",
         [frame(1000000)] * 4),
        ("header 2 without its comma is body, and the body does not parse",
         b"ST,GS+0001.234kg\r\n", [err(0, "bad_field")]),
        ("a two-byte field before a comma is the CAS ID/lamp field, any byte values",
         b"ST,GS,\x00\xff,0001.234 kg\r\n", [KG_FRAME]),
        ("the ID/lamp test applies without header 2 as well",
         b"ST,9\x80,0001.234 kg\r\n", [KG_FRAME]),
        ("consequence of rule 3: two figures before a comma are taken as ID/lamp",
         b"ST,GS,12,kg\r\n", [err(0, "bad_field")]),
        # Rule 4
        ("spaces may stand before and after the sign", b"ST,GS,  -  1.5 kg \r\n",
         [frame(-1500000)]),
        ("a comma may stand before the unit", b"ST,GS,1.5,kg\r\n", [frame(1500000)]),
        ("a comma with spaces around it before the unit", b"ST,GS,  1.5 , kg\r\n",
         [frame(1500000)]),
        ("C3: a number may end in a point", b"ST,GS,+12.kg\r\n", [frame(12000000)]),
        ("C3: a number may start with a point", b"ST,GS,+.5kg\r\n", [frame(500000)]),
        ("C3: a point alone is no number", b"ST,GS,+.kg\r\n", [err(0, "bad_field")]),
        ("C3: two points do not parse", b"ST,GS,+1.2.3kg\r\n", [err(0, "bad_field")]),
        ("C3: two signs do not parse", b"ST,GS,+-1.2kg\r\n", [err(0, "bad_field")]),
        ("C3: 12 digits are accepted", b"ST,+000000001.234kg\r\n", [frame(1234000)]),
        ("C3: 13 digits are bad_field", b"ST,+0000000001.234kg\r\n", [err(0, "bad_field")]),
        ("a body without a unit does not parse", b"ST,GS,+0001.234\r\n",
         [err(0, "bad_field")]),
        ("a space inside the number does not parse", b"ST,GS,+1 234kg\r\n",
         [err(0, "bad_field")]),
        ("C4: a unit is letters or % only; a digit after it does not parse",
         b"ST,GS,+1.234kg5\r\n", [err(0, "bad_field")]),
        # Rule 5
        ("OL is an overload state frame whatever the body holds", b"OL,GS,+    .  kg\r\n",
         [OVER]),
        ("UL is an overload state frame too", b"UL,GS,  -12.34,Kg\r\n", [OVER]),
        ("OL with NT is net", b"OL,NT,zz\r\n", [frame(0, stable=False, net=True, overload=True)]),
        ("OL with nothing after its comma is still a frame", b"OL,\r\n", [OVER]),
        ("C6: rule 5 comes before rule 6, so OL,TR is an overload frame",
         b"OL,TR,+0000.50kg\r\n", [OVER]),
        ("OL with the A&D balance E+19 body", b"OL,+9999999E+19\r\n", [OVER]),
        # Rule 6
        ("C7: a QT count line is skipped silently", b"QT,+00000123 PC\r\n" + KG, [KG_FRAME]),
        ("C7: a TR line is skipped silently", b"ST,TR,+0000.50kg\r\n" + KG, [KG_FRAME]),
        ("C7: a QT line whose body does not parse is bad_field",
         b"QT,+0000x123 PC\r\n", [err(0, "bad_field")]),
        ("C7: garbage before a silent line is still a garbage error",
         b"zz" + b"QT,+00000123 PC\r\n", [err(0, "garbage")]),
        ("C7: a non-mass unit under ST is one unsupported_unit error",
         b"ST,+00000123 PC\r\n", [err(0, "unsupported_unit")]),
        ("percent is not a mass", b"ST,+000123.4  %\r\n", [err(0, "unsupported_unit")]),
        ("the tael tl is ambiguous", b"ST,+0012.345 tl\r\n", [err(0, "unsupported_unit")]),
        ("the troy ounce ozt is not an avoirdupois ounce", b"ST,+0001.234ozt\r\n",
         [err(0, "unsupported_unit")]),
        ("an unsupported unit after garbage is one error line at the piece start",
         b"zz" + b"ST,+0012.345 tl\r\n", [err(0, "unsupported_unit")]),
        # Rule 7
        ("US is not stable", b"US,GS,+0001.234kg\r\n", [frame(1234000, stable=False)]),
        ("units are case-insensitive", b"ST,GS,+0001.234KG\r\nST,GS,+0001.234Kg\r\n",
         [KG_FRAME, KG_FRAME]),
        ("t is 10^9 mg", b"ST,GS,+012.345 t\r\n", [frame(12345000000)]),
        ("g is 10^3 mg", b"ST,+00123.45  g\r\n", [frame(123450)]),
        ("-50.000 lb is -22679619 mg (halves away from zero)", b"ST,-0050.000 lb\r\n",
         [frame(-22679619)]),
        ("50.000 lb is 22679619 mg (halves away from zero)", b"ST,+0050.000 lb\r\n",
         [frame(22679619)]),
        ("C9: minus zero is 0", b"ST,GS,-0000.000kg\r\n", [frame(0)]),
        ("C8: a weight above 2^53-1 mg is bad_field",
         b"ST,+999999999999 t\r\n", [err(0, "bad_field")]),
        ("C8: 9007199.25474 t is 9007199254740000 mg, just under 2^53-1",
         b"ST,+9007199.25474 t\r\n", [frame(9007199254740000)]),
        ("C8: 9007199.25475 t is over 2^53-1 mg: bad_field",
         b"ST,+9007199.25475 t\r\n", [err(0, "bad_field")]),
        # Error-line policy
        ("two garbage pieces in a row are two error lines",
         b"aa\r\nbb\r\n" + KG, [err(0, "garbage"), err(4, "garbage"), KG_FRAME]),
        ("a wrong-baud burst glued to a frame is one error, then the frame",
         b"\x80\xf8\xff\x00" + KG, [err(0, "garbage"), KG_FRAME]),
    ]


def check_cases():
    check_each_case(cases(), decode)


def check_captures():
    bins = capture_paths(CAPTURES)
    if len(bins) < 5:
        fail("%d captures found in %s, at least 5 wanted" % (len(bins), CAPTURES))
    total = 0
    for c in check_each_capture(bins, decode, rd.canonical):
        if c.frames == 0:
            fail("%s: a capture without frames proves nothing" % c.name)
        total += 1
    return total


def main():
    check_worked_examples()
    check_cases()
    captures = check_captures()
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ad-st: all checks passed (%d worked examples, %d cases, %d captures)"
          % (len(WORKED), len(cases()), captures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
