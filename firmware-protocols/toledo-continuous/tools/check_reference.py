#!/usr/bin/env python3
"""Self-check of tools/reference_decode.py (Python 3, stdlib only).

What it checks
    1. The worked example of SPEC.md section 4 (fact sheet 3.4): 1.234 kg gross, stable,
       tare 0, full frame with checksum 0x2A and short frame with checksum 0x4A, decode
       to the expected frames, and the checksums come out as printed.
    2. A table of small cases, one per rule or policy clause, each named by a sentence.
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


def frame(weight_mg, stable=True, net=False, overload=False, tare_mg=None):
    f = {"protocol": "toledo-continuous", "weight_mg": weight_mg, "stable": stable,
         "net": net, "overload": overload}
    if tare_mg is not None:
        f["tare_mg"] = tare_mg
    return f


# The worked example, byte for byte as printed in the fact sheet 3.4.
FULL_BODY = h("02 2D 30 20 30 30 31 32 33 34 30 30 30 30 30 30 0D")
SHORT_BODY = h("02 2D 30 20 30 30 31 32 33 34 0D")
FULL = FULL_BODY + h("2A")
SHORT = SHORT_BODY + h("4A")
KG_1234_FULL = frame(1234000, tare_mg=0)
KG_1234_SHORT = frame(1234000)


def body(a, b, c, weight, tare=None):
    out = bytes([0x02, a, b, c]) + weight.encode("ascii")
    if tare is not None:
        out += tare.encode("ascii")
    return out + b"\r"


def with_chk(frame_body):
    return frame_body + bytes([rd.checksum(frame_body)])


def check_worked_example():
    if sum(FULL_BODY) != 0x2D6:
        fail("worked example: full byte sum is %#x, expected 0x2d6" % sum(FULL_BODY))
    if sum(SHORT_BODY) != 0x1B6:
        fail("worked example: short byte sum is %#x, expected 0x1b6" % sum(SHORT_BODY))
    if rd.checksum(FULL_BODY) != 0x2A:
        fail("worked example: full checksum %#x, expected 0x2a" % rd.checksum(FULL_BODY))
    if rd.checksum(SHORT_BODY) != 0x4A:
        fail("worked example: short checksum %#x, expected 0x4a" % rd.checksum(SHORT_BODY))
    for name, data, want in (("full", FULL, [KG_1234_FULL]),
                             ("short", SHORT, [KG_1234_SHORT]),
                             ("full then short", FULL + SHORT,
                              [KG_1234_FULL, KG_1234_SHORT])):
        got = decode(data)
        if got != want:
            fail("worked example %s: got %r, want %r" % (name, got, want))
    line = rd.canonical(decode(FULL)[0])
    want_line = ('{"net":false,"overload":false,"protocol":"toledo-continuous",'
                 '"stable":true,"tare_mg":0,"weight_mg":1234000}')
    if line != want_line:
        fail("worked example: canonical line %s" % line)


def stx_checksum_body():
    for n in range(1000000):
        b = body(0x2D, 0x30, 0x20, "%06d" % n, "000000")
        if rd.checksum(b) == 0x02:
            return b
    raise AssertionError("no frame with checksum 0x02")


def cases():
    lb_050 = body(0x2C, 0x20, 0x20, "000050")            # 0.50 lb, short
    oz_100 = body(0x2C, 0x20, 0x23, "000100")            # 1.00 oz, short
    neg_g = body(0x2E, 0x22, 0x21, "000082", "000000")   # -0.0082 g (code 6)
    tiny_g = body(0x2F, 0x20, 0x21, "000005", "000000")  # 0.00005 g (code 7)
    clone_lb = body(0x55, 0x30, 0x31, "001000", "000000")  # clone layout, 1.000 lb
    clone_kg = body(0x55, 0x30, 0x30, "001000", "000000")  # clone layout, 1.000 kg
    mettler_g = body(0x2D, 0x30, 0x31, "001000", "000000")  # Mettler, C code 1: 1.000 g
    unit5 = body(0x2D, 0x30, 0x25, "001234", "000000")
    parity = body(0x2D, 0xB8, 0x20, "001234", "000000")  # B with bit 7 set, motion
    spaces = body(0x2D, 0x31, 0x20, "  1234", "   150")
    flags = body(0x2D, 0x3F, 0x20, "001234", "000000")   # net, neg, over, motion
    stx_body = stx_checksum_body()
    return [
        ("an empty file gives no output", b"", []),
        ("a lone STX at end of file is one truncated error", h("02"), [err(0, "truncated")]),
        ("garbage alone is one error line at offset 0", b"hello", [err(0, "garbage")]),
        ("a full frame cut by end of file right after CR is accepted without checksum",
         FULL_BODY, [KG_1234_FULL]),
        ("a frame without checksum followed by STX is accepted and the STX is kept",
         FULL_BODY + FULL, [KG_1234_FULL, KG_1234_FULL]),
        ("a checksummed frame followed by LF consumes the LF",
         FULL + h("0A") + SHORT + h("0A"), [KG_1234_FULL, KG_1234_SHORT]),
        ("only one LF is consumed after a checksum; a second is garbage",
         FULL + h("0A 0A") + FULL, [KG_1234_FULL, err(19, "garbage"), KG_1234_FULL]),
        ("CR LF without checksum is accepted when STX follows",
         FULL_BODY + h("0A") + FULL, [KG_1234_FULL, KG_1234_FULL]),
        ("CR LF without checksum is accepted at end of file",
         FULL_BODY + h("0A"), [KG_1234_FULL]),
        ("CR LF without checksum followed by noise rejects the frame",
         FULL_BODY + h("0A 00") + FULL, [err(0, "bad_terminator"), KG_1234_FULL]),
        ("a wrong checksum rejects the frame and its bytes join the error run",
         FULL_BODY + h("2B") + b"xx" + FULL, [err(0, "bad_checksum"), KG_1234_FULL]),
        ("a checksum byte with bit 7 set is compared on its low 7 bits",
         FULL_BODY + h("AA") + FULL, [KG_1234_FULL, KG_1234_FULL]),
        ("garbage before a rejected frame names the run garbage",
         b"zz" + FULL_BODY + h("2B") + FULL, [err(0, "garbage"), KG_1234_FULL]),
        ("a torn frame followed by a whole frame is one bad_field error at the torn STX",
         FULL[:9] + FULL, [err(0, "bad_field"), KG_1234_FULL]),
        ("a frame with a non-digit in the tare field is rejected",
         body(0x2D, 0x30, 0x20, "001234", "00x000") + h("00") + FULL,
         [err(0, "bad_field"), KG_1234_FULL]),
        ("a full-length frame without CR at position 16 is rejected",
         h("02 2D 30 20") + b"001234000000X" + FULL, [err(0, "bad_terminator"), KG_1234_FULL]),
        ("a frame cut in the middle at end of file is one truncated error",
         FULL + FULL[:12], [KG_1234_FULL, err(18, "truncated")]),
        ("unit code 5 is one unsupported_unit error and decoding continues after it",
         with_chk(unit5) + FULL, [err(0, "unsupported_unit"), KG_1234_FULL]),
        ("a pending run is flushed before an unsupported_unit error",
         b"ab" + with_chk(unit5) + FULL,
         [err(0, "garbage"), err(2, "unsupported_unit"), KG_1234_FULL]),
        ("a checksum equal to STX is read as the next STX and the misaligned attempt errs",
         stx_body + h("02") + FULL,
         [decode(stx_body)[0], err(17, "bad_terminator"), KG_1234_FULL]),
        ("0.50 lb is 226796 mg (226796.185 rounded)", with_chk(lb_050), [frame(226796)]),
        ("1.00 oz is 28350 mg (28349.523125 rounded)", with_chk(oz_100), [frame(28350)]),
        ("-0.0082 g is -8 mg (-8.2 rounded)", with_chk(neg_g), [frame(-8, tare_mg=0)]),
        ("0.00005 g is 0 mg (0.05 rounded)", with_chk(tiny_g), [frame(0, tare_mg=0)]),
        ("50.000 lb is 22679619 mg (22679618.5 rounded away from zero)",
         with_chk(body(0x2D, 0x20, 0x20, "050000")), [frame(22679619)]),
        ("-50.000 lb is -22679619 mg (-22679618.5 rounded away from zero)",
         with_chk(body(0x2D, 0x22, 0x20, "050000")), [frame(-22679619)]),
        ("the clone layout reads C bit 0 = 1 as lb",
         with_chk(clone_lb), [frame(453592, tare_mg=0)]),
        ("the clone layout reads C bit 0 = 0 as kg",
         with_chk(clone_kg), [frame(1000000, tare_mg=0)]),
        ("the Mettler layout reads C code 1 as g", with_chk(mettler_g), [frame(1000, tare_mg=0)]),
        ("bit 7 of status B is ignored", with_chk(parity), [frame(1234000, stable=False, tare_mg=0)]),
        ("spaces in the digit fields count as zeros",
         with_chk(spaces), [frame(1234000, net=True, tare_mg=150000)]),
        ("status B bits map to net, negative, overload and motion",
         with_chk(flags), [frame(-1234000, stable=False, net=True, overload=True, tare_mg=0)]),
        ("code 1 takes the digits as they are (dummy zero already sent)",
         with_chk(body(0x29, 0x30, 0x20, " 12340", "000000")),
         [frame(12340000000, tare_mg=0)]),
        ("code 3 divides by 10; t is 10^9 mg",
         with_chk(body(0x2B, 0x20, 0x22, "000125", "000000")),
         [frame(12500000000, tare_mg=0)]),
    ]


def check_cases():
    check_each_case(cases(), decode)


def check_captures():
    bins = capture_paths(CAPTURES)
    if not bins:
        fail("no captures found in %s" % CAPTURES)
    for c in check_each_capture(bins, decode, rd.canonical):
        print("ok  %-28s %4d frames %2d error lines" % (c.name, c.frames, len(c.offsets)))


def main():
    check_worked_example()
    check_cases()
    check_captures()
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
