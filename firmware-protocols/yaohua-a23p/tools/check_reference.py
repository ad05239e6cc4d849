#!/usr/bin/env python3
"""Self-check of tools/reference_decode.py (Python 3, stdlib only).

What it checks
    1. The worked examples of SPEC.md section 5 (fact sheet 8.1, 8.2): the A23P manual's
       format P frame =0002.000kg;0001.00;0002.00, its count-mode frame, the +20.00
       format X frame 02 2B 30 30 32 30 30 30 32 31 42 03 with XOR 0x1B, and the A12E
       XOR of WG004.139kg = 0x3D, each computed here byte by byte.
    2. A table of small cases, one per rule or policy clause, each named by a sentence.
    3. Every capture: the golden file equals the decoder's current output, and the frame
       count and error-line offsets equal the `Expected frames` / `Expected error offsets`
       that tools/make_captures.py wrote into the header from its own intent.

Usage
    python3 tools/check_reference.py        # prints one line per failure and a summary;
                                            # exit 1 if anything failed
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

captures_checked = []

decode = objects_of(rd.decode)


def frame(weight_mg, stable=False, unit_price_fen=None, total_fen=None):
    f = {"protocol": "yaohua-a23p", "weight_mg": weight_mg, "stable": stable,
         "net": False, "overload": False}
    if unit_price_fen is not None:
        f["unit_price_fen"] = unit_price_fen
    if total_fen is not None:
        f["total_fen"] = total_fen
    return f


def a(text):
    return text.encode("ascii")


def xor(data):
    x = 0
    for byte in data:
        x ^= byte
    return x


def x_frame(body):
    """STX + body (sign, 6 digits, decimals) + XOR as two uppercase hex chars + ETX."""
    x = xor(a(body))
    return h("02") + a(body) + a("%02X" % x) + h("03")


# The worked examples, byte for byte as printed in the fact sheet 8.1 and 8.2.
MANUAL_P = a("=0002.000kg;0001.00;0002.00")
MANUAL_PC = a("=00000020pc;0001.00;0020.00")
X_20 = h("02 2B 30 30 32 30 30 30 32 31 42 03")
P_2KG = frame(2000000, unit_price_fen=100, total_fen=200)
X_20KG = frame(20000000)


def check_worked_examples():
    if len(MANUAL_P) != 27 or len(MANUAL_PC) != 27:
        fail("worked example: format P frames are %d and %d bytes, expected 27"
             % (len(MANUAL_P), len(MANUAL_PC)))
    if MANUAL_P[11:12] != b";" or MANUAL_P[19:20] != b";":
        fail("worked example: ';' not at offsets 11 and 19")
    # XOR of bytes 1-8 of the +20.00 frame, by hand: 2B^30=1B, ^30=2B, ^32=19, ^30=29,
    # ^30=19, ^30=29, ^32=1B.
    steps = []
    x = 0
    for byte in X_20[1:9]:
        x ^= byte
        steps.append(x)
    if steps != [0x2B, 0x1B, 0x2B, 0x19, 0x29, 0x19, 0x29, 0x1B]:
        fail("worked example: XOR steps %s" % " ".join("%02X" % s for s in steps))
    if X_20[9:11] != b"1B":
        fail("worked example: checksum characters %r, expected '1B'" % X_20[9:11])
    if rd.hex_char(0x1) != 0x31 or rd.hex_char(0xB) != 0x42:
        fail("worked example: hex_char(1)=%#x hex_char(0xB)=%#x"
             % (rd.hex_char(0x1), rd.hex_char(0xB)))
    if x_frame("+0020002") != X_20:
        fail("worked example: x_frame('+0020002') does not rebuild the +20.00 bytes")
    if xor(a("WG004.139kg")) != 0x3D:
        fail("worked example: A12E XOR of WG004.139kg is %#x, expected 0x3d"
             % xor(a("WG004.139kg")))
    for name, data, want in (
            ("manual format P", MANUAL_P, [P_2KG]),
            ("manual format P repeated", MANUAL_P * 3,
             [P_2KG, dict(P_2KG, stable=True), dict(P_2KG, stable=True)]),
            ("manual count mode", MANUAL_PC, [err(0, "unsupported_unit")]),
            ("+20.00 format X", X_20, [X_20KG]),
            ("+20.00 format X twice", X_20 * 2, [X_20KG, dict(X_20KG, stable=True)])):
        got = decode(data)
        if got != want:
            fail("worked example %s: got %r, want %r" % (name, got, want))
    line = rd.canonical(decode(MANUAL_P)[0])
    want_line = ('{"net":false,"overload":false,"protocol":"yaohua-a23p","stable":false,'
                 '"total_fen":200,"unit_price_fen":100,"weight_mg":2000000}')
    if line != want_line:
        fail("worked example: canonical line %s" % line)


def p(sign, weight, unit, price, amount):
    return a("=" + sign + weight + unit + ";" + price + ";" + amount)


def cases():
    kg_1234 = p("0", "001.234", "kg", "0012.50", "0015.43")
    f_1234 = frame(1234000, unit_price_fen=1250, total_fen=1543)
    return [
        ("an empty file gives no output", b"", []),
        ("garbage alone is one error line at offset 0", b"hello", [err(0, "garbage")]),
        ("a lone '=' at end of file is one truncated error", a("="), [err(0, "truncated")]),
        ("a lone STX at end of file is one truncated error", h("02"), [err(0, "truncated")]),
        # Rule 1.
        ("format P needs all 27 bytes: 26 at end of file are truncated",
         MANUAL_P[:26], [err(0, "truncated")]),
        ("format X needs all 12 bytes: 11 at end of file are truncated",
         X_20[:11], [err(0, "truncated")]),
        ("a P sign other than '0' or '-' is a bad field",
         p("+", "002.000", "kg", "0001.00", "0002.00"), [err(0, "bad_field")]),
        ("a second '.' in the weight field is a bad field",
         p("0", "00.2.00", "kg", "0001.00", "0002.00"), [err(0, "bad_field")]),
        ("a space in the weight field is a bad field",
         p("0", " 02.000", "kg", "0001.00", "0002.00"), [err(0, "bad_field")]),
        ("upper-case KG is not a unit", p("0", "002.000", "KG", "0001.00", "0002.00"),
         [err(0, "bad_field")]),
        ("a ',' instead of ';' is a bad field",
         a("=0002.000kg,0001.00;0002.00"), [err(0, "bad_field")]),
        ("a torn P frame followed by a whole frame is one error at the torn '='",
         MANUAL_P[:15] + MANUAL_P, [err(0, "bad_field"), P_2KG]),
        ("a rejected candidate resumes one byte later and garbage joins its run",
         a("=x") + a("zz") + MANUAL_P, [err(0, "bad_field"), P_2KG]),
        ("garbage before a rejected candidate names the run garbage",
         a("zz=x") + MANUAL_P, [err(0, "garbage"), P_2KG]),
        ("format X with a wrong XOR character is a bad checksum",
         X_20[:10] + a("C") + X_20[11:] + X_20, [err(0, "bad_checksum"), X_20KG]),
        ("format X with lower-case hex is a bad checksum (upper case only)",
         h("02") + a("+0020002") + a("1b") + h("03") + X_20,
         [err(0, "bad_checksum"), X_20KG]),
        ("format X without ETX at position 11 is a bad terminator",
         X_20[:11] + a("X") + X_20, [err(0, "bad_terminator"), X_20KG]),
        ("format X sign must be '+' or '-'", x_frame("00020002") + X_20,
         [err(0, "bad_field"), X_20KG]),
        ("format X decimals '5' is a bad field even with a correct XOR",
         x_frame("+0020005") + X_20, [err(0, "bad_field"), X_20KG]),
        ("a P frame and an X frame may follow each other directly",
         MANUAL_P + X_20, [P_2KG, X_20KG]),
        # Rule 2.
        ("a pc frame is one unsupported_unit error and decoding continues after it",
         MANUAL_PC + MANUAL_P, [err(0, "unsupported_unit"), P_2KG]),
        ("a pending run is flushed before an unsupported_unit error",
         a("ab") + MANUAL_PC + MANUAL_P,
         [err(0, "garbage"), err(2, "unsupported_unit"), P_2KG]),
        ("a pc frame with a bad field is a rejected candidate, not unsupported_unit",
         a("=00000020pc;0001.00;002x.00") + MANUAL_P, [err(0, "bad_field"), P_2KG]),
        ("lb frames carry total_fen but no unit_price_fen; 0.50 lb is 226796 mg",
         p("0", "0000.50", "lb", "0005.60", "0002.80"), [frame(226796, total_fen=280)]),
        ("50.00 lb is 22679619 mg (22679618.5 rounded away from zero)",
         p("0", "0050.00", "lb", "0005.60", "0280.00"), [frame(22679619, total_fen=28000)]),
        ("-50.00 lb is -22679619 mg (-22679618.5 rounded away from zero)",
         p("-", "0050.00", "lb", "0005.60", "0000.00"), [frame(-22679619, total_fen=0)]),
        ("a negative kg weight keeps the price and the amount as sent",
         p("-", "000.150", "kg", "0012.50", "0000.00"),
         [frame(-150000, unit_price_fen=1250, total_fen=0)]),
        ("'-' with all digits zero is weight 0", p("-", "000.000", "kg", "0012.50", "0000.00"),
         [frame(0, unit_price_fen=1250, total_fen=0)]),
        ("a weight field without '.' is whole units", p("0", "0000012", "kg", "0001.00", "0012.00"),
         [frame(12000000, unit_price_fen=100, total_fen=1200)]),
        ("a money field without '.' is whole yuan", p("0", "002.000", "kg", "0000012", "0000024"),
         [frame(2000000, unit_price_fen=1200, total_fen=2400)]),
        ("a money field with one decimal is tenths of a yuan",
         p("0", "002.000", "kg", "00012.5", "00025.0"),
         [frame(2000000, unit_price_fen=1250, total_fen=2500)]),
        ("extra money decimals are accepted when they are zeros",
         p("0", "002.000", "kg", "12.5000", "25.0000"),
         [frame(2000000, unit_price_fen=1250, total_fen=2500)]),
        ("a non-zero third money decimal is a bad field",
         p("0", "002.000", "kg", "012.505", "0025.01"), [err(0, "bad_field")]),
        ("the worked 1.234 kg frame gives 1234000 mg, 1250 fen/kg and 1543 fen",
         kg_1234, [f_1234]),
        # Rule 3.
        ("format X decimals 0 is whole kg", x_frame("+0012340"), [frame(1234000000)]),
        ("format X decimals 4 divides by 10^4", x_frame("+1234564"), [frame(12345600)]),
        ("format X '-' negates", x_frame("-0001503"), [frame(-150000)]),
        ("format X '-' with all digits zero is 0", x_frame("-0000003"), [frame(0)]),
        # Rule 4.
        ("the first frame is never stable", kg_1234, [f_1234]),
        ("a repeat of the same weight is stable, a change is not",
         kg_1234 + kg_1234 + MANUAL_P + MANUAL_P,
         [f_1234, dict(f_1234, stable=True), P_2KG, dict(P_2KG, stable=True)]),
        ("error lines between two equal weights do not reset stability",
         MANUAL_P + a("noise") + MANUAL_PC + MANUAL_P,
         [P_2KG, err(27, "garbage"), err(32, "unsupported_unit"), dict(P_2KG, stable=True)]),
        ("stability compares weight only, across formats and prices",
         x_frame("+0020003") + MANUAL_P + p("0", "002.000", "kg", "0012.50", "0025.00"),
         [frame(2000000), dict(P_2KG, stable=True),
          frame(2000000, stable=True, unit_price_fen=1250, total_fen=2500)]),
        # 9-byte formats (fact sheet 8.2).
        ("the 9-byte reversed and forward '=' formats do not decode",
         a("=000.3000") * 3 + a("=0003.000") * 3, [err(0, "bad_field")]),
        ("a 9-byte stretch followed by format P is one error line, then the frame",
         a("=0003.000") * 2 + MANUAL_P, [err(0, "bad_field"), P_2KG]),
        ("a frame cut in the middle at end of file is one truncated error",
         MANUAL_P + MANUAL_P[:20], [P_2KG, err(27, "truncated")]),
        ("a bad field already seen wins over truncation at end of file",
         MANUAL_P[:5] + a("x"), [err(0, "bad_field")]),
    ]


def check_cases():
    check_each_case(cases(), decode)


def check_captures():
    bins = capture_paths(CAPTURES)
    if not bins:
        fail("no captures found in %s" % CAPTURES)
    for c in check_each_capture(bins, decode, rd.canonical):
        if c.frames == 0:
            fail("%s: a capture without frames proves nothing" % c.name)
        captures_checked.append(c.name)


def main():
    check_worked_examples()
    check_cases()
    check_captures()
    if failures:
        print("yaohua-a23p: %d failure(s)" % len(failures))
        return 1
    print("yaohua-a23p: all checks passed (%d rule cases, %d captures)"
          % (len(cases()), len(captures_checked)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
