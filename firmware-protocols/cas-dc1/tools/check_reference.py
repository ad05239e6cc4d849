#!/usr/bin/env python3
"""Self-check of tools/reference_decode.py (Python 3, stdlib only).

What it checks
    1. The worked examples of SPEC.md section 5 (fact sheet 7.4): the DC1 reply for
       1.234 kg stable with BCC 0x75 (reading B 0x74), and the DC2 reply for 1.234 kg at
       12.50 yuan/kg with block BCCs 0x0D, 0x75, 0x08; the BCCs come out as printed and
       the replies decode to the frames printed there.
    2. The BCC values SPEC.md 5.3 quotes (a price block's BCC is always a control
       character; BCCs equal to ETX and ACK).
    3. A table of small cases, one per rule or policy clause, each named by a sentence.
    4. Every capture: the golden file equals the decoder's current output, and the frame
       count and error-line offsets equal the `Expected frames` / `Expected error offsets`
       that tools/make_captures.py wrote into the header from its own intent.

Usage
    python3 tools/check_reference.py   # prints only failures and a summary; exit 1 on failure
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

checked = 0

decode = objects_of(rd.decode)


def frame(weight_mg, stable=True, overload=False, total=None, unit_price=None, plu=None):
    f = {"protocol": "cas-dc1", "weight_mg": weight_mg, "stable": stable, "net": False,
         "overload": overload}
    if total is not None:
        f["total_fen"] = total
    if unit_price is not None:
        f["unit_price_fen"] = unit_price
    if plu is not None:
        f["plu"] = plu
    return f


def xor(data):
    x = 0
    for byte in data:
        x ^= byte
    return x


def blk(payload, bcc=None):
    if isinstance(payload, str):
        payload = payload.encode("ascii")
    return b"\x02" + payload + bytes([xor(payload) if bcc is None else bcc]) + b"\x03"


def rep(*payloads):
    return b"\x01" + b"".join(blk(p) for p in payloads) + b"\x04"


# The worked examples, byte for byte as printed in SPEC.md section 5.
WEIGHT_PAYLOAD = h("53 20 20 31 2E 32 33 34 6B 67")             # S  1.234kg
DC1_REPLY = h("01 02 53 20 20 31 2E 32 33 34 6B 67 75 03 04")
DC1_READING_B = h("01 02 53 20 20 31 2E 32 33 34 6B 67 74 03 04")
TOTAL_PAYLOAD = h("20 20 20 31 35 2E 34 33")                      #    15.43
UNIT_PRICE_PAYLOAD = h("20 20 20 31 32 2E 35 30")                 #    12.50
DC2_REPLY = h("01"
              " 02 20 20 20 31 35 2E 34 33 0D 03"
              " 02 53 20 20 31 2E 32 33 34 6B 67 75 03"
              " 02 20 20 20 31 32 2E 35 30 08 03"
              " 04")
KG_1234 = frame(1234000)
KG_1234_PRICED = frame(1234000, total=1543, unit_price=1250)


def check_worked_example():
    for name, got, want in (("weight block BCC", xor(WEIGHT_PAYLOAD), 0x75),
                            ("weight block reading B", xor(b"\x01" + WEIGHT_PAYLOAD), 0x74),
                            ("total block BCC", xor(TOTAL_PAYLOAD), 0x0D),
                            ("unit price block BCC", xor(UNIT_PRICE_PAYLOAD), 0x08)):
        if got != want:
            fail("worked example: %s is %#04x, expected %#04x" % (name, got, want))
    if DC1_REPLY != rep("S  1.234kg"):
        fail("worked example: the DC1 reply bytes differ from the layout")
    if DC2_REPLY != rep("   15.43", "S  1.234kg", "   12.50"):
        fail("worked example: the DC2 reply bytes differ from the layout")
    for name, data, want in (("DC1", DC1_REPLY, [KG_1234]),
                             ("DC1 reading B", DC1_READING_B, [KG_1234]),
                             ("DC2", DC2_REPLY, [KG_1234_PRICED]),
                             ("ACK DC1 ACK DC2", b"\x06" + DC1_REPLY + b"\x06" + DC2_REPLY,
                              [KG_1234, KG_1234_PRICED])):
        got = decode(data)
        if got != want:
            fail("worked example %s: got %r, want %r" % (name, got, want))
    line = rd.canonical(decode(DC2_REPLY)[0])
    want_line = ('{"net":false,"overload":false,"protocol":"cas-dc1","stable":true,'
                 '"total_fen":1543,"unit_price_fen":1250,"weight_mg":1234000}')
    if line != want_line:
        fail("worked example: canonical line %s" % line)


def check_bcc_values():
    """SPEC.md 5.3: the BCC values that make rule 2 necessary."""
    for payload, want in ((b"   12.68", 0x03), (b"S   106G", 0x03), (b"UFFFFFFFoz", 0x06),
                          (b"SFFFFFFFoz", 0x00)):
        if xor(payload) != want:
            fail("SPEC 5.3: BCC of %r is %#04x, expected %#04x" % (payload, xor(payload), want))
    for fen in range(0, 10000000, 997):     # a spread of 8-character prices
        text = ("%d.%02d" % (fen // 100, fen % 100)).rjust(8).encode("ascii")
        if xor(text) >= 0x20:
            fail("SPEC 5.3: price block %r has BCC %#04x, not a control character" % (text, xor(text)))
            break


def total_block_with_bcc(wanted):
    """A DC2 reply whose total price block has the BCC `wanted`, and its total in fen."""
    for fen in range(100000):
        text = ("%d.%02d" % (fen // 100, fen % 100)).rjust(8)
        if xor(text.encode("ascii")) == wanted:
            return rep(text, "S  1.234kg", "   12.50"), fen
    raise AssertionError("no total with BCC %#x" % wanted)


def cases():
    etx_reply, etx_total = total_block_with_bcc(0x03)
    first_b = b"\x01" + blk("   15.43", xor(b"   15.43") ^ 1) + blk("S  1.234kg") + \
        blk("   12.50") + b"\x04"
    second_b = b"\x01" + blk("   15.43") + blk("S  1.234kg", 0x74) + blk("   12.50") + b"\x04"
    bad_bcc = b"\x01" + blk("S  1.234kg", 0x35) + b"\x04"
    five = rep("   15.43", "S  1.234kg", "   12.50", "   12", "   12")
    n = len(DC1_REPLY)
    return [
        ("an empty file gives no output", b"", []),
        ("ACK and NAK alone give no output", h("06 15 06 06 15"), []),
        ("a lone SOH at end of file is one truncated error", h("01"), [err(0, "truncated")]),
        ("garbage alone is one error line at offset 0", b"hello", [err(0, "garbage")]),
        # Rule 1.
        ("ACK and NAK before a reply are skipped silently",
         h("15 06") + DC1_REPLY, [KG_1234]),
        ("an ACK inside a garbage run neither starts nor ends it",
         b"ab\x06cd" + DC1_REPLY, [err(0, "garbage"), KG_1234]),
        ("an SOH not followed by STX is garbage", h("01 41") + DC1_REPLY,
         [err(0, "garbage"), KG_1234]),
        ("SOH SOH STX: the second SOH starts the reply", h("01") + DC1_REPLY,
         [err(0, "garbage"), KG_1234]),
        # Rule 2.
        ("a BCC equal to ETX is followed by the real ETX", etx_reply,
         [frame(1234000, total=etx_total, unit_price=1250)]),
        ("reading B is accepted on the first block of a DC1 reply", DC1_READING_B, [KG_1234]),
        ("reading B is accepted on the first block of a DC2 reply", first_b,
         [KG_1234_PRICED]),
        ("reading B on a second block rejects the reply", second_b + DC1_REPLY,
         [err(0, "bad_checksum"), KG_1234]),
        ("a wrong BCC rejects the reply and its bytes join one error run",
         bad_bcc + h("06") + DC1_REPLY, [err(0, "bad_checksum"), KG_1234]),
        ("a block with no ETX in reach rejects the reply",
         h("01 02") + b"S  1.234kgXXXXXXXXXXXXX" + DC1_REPLY,
         [err(0, "bad_terminator"), KG_1234]),
        ("an ETX followed by neither STX nor EOT does not end the block",
         DC1_REPLY[:-1] + b"Z" + DC1_REPLY, [err(0, "bad_terminator"), KG_1234]),
        ("a reply cut by end of file is one truncated error", DC1_REPLY + DC1_REPLY[:10],
         [KG_1234, err(n, "truncated")]),
        ("a reply cut right after its ETX is truncated", DC1_REPLY[:-1],
         [err(0, "truncated")]),
        ("a torn reply followed by a whole one loses only the torn one",
         DC1_REPLY[:7] + h("06") + DC1_REPLY, [err(0, "bad_checksum"), KG_1234]),
        ("a fifth block rejects the reply", five + DC1_REPLY,
         [err(0, "bad_terminator"), KG_1234]),
        # Rule 3.
        ("a delimited two-block reply is one error line and decoding goes on after EOT",
         rep("   15.43", "S  1.234kg") + DC1_REPLY, [err(0, "bad_field"), KG_1234]),
        ("a pending run is flushed before a refused reply",
         b"zz" + rep("   15.43", "S  1.234kg") + DC1_REPLY,
         [err(0, "garbage"), err(2, "bad_field"), KG_1234]),
        ("a DC3 reply carries the PLU", rep("   15.43", "S  1.234kg", "   12.50", "  345"),
         [frame(1234000, total=1543, unit_price=1250, plu=345)]),
        # Rule 4.
        ("STA U is unstable", rep("U  1.234kg"), [frame(1234000, stable=False)]),
        ("SIGN '-' makes the weight negative", rep("S- 0.150kg"), [frame(-150000)]),
        ("a negative zero is zero", rep("U- 0.000kg"), [frame(0, stable=False)]),
        ("CAS overload fill is a state frame", rep("SFFFFFFFkg"),
         [frame(0, stable=False, overload=True)]),
        ("Aclas STA F is a state frame", rep("F  0.000KG"),
         [frame(0, stable=False, overload=True)]),
        ("Ohaus sign F is a state frame", rep("SF30.550kg"),
         [frame(0, stable=False, overload=True)]),
        ("an STA other than S, U, F is a bad field", rep("X  1.234kg"),
         [err(0, "bad_field")]),
        ("a sign other than space or '-' is a bad field", rep("S+ 1.234kg"),
         [err(0, "bad_field")]),
        ("two decimal points are a bad field", rep("S 1.2.34kg"), [err(0, "bad_field")]),
        ("a weight without digits is a bad field", rep("S     .kg"), [err(0, "bad_field")]),
        ("three trailing letters are a bad field", rep("S  1.234kgs"), [err(0, "bad_field")]),
        ("no unit letters is a bad field", rep("S  1.234"), [err(0, "bad_field")]),
        ("more than eight digits is a bad field", rep("S 123456789kg"),
         [err(0, "bad_field")]),
        ("eight digits are accepted", rep("S 12345678 g"), [frame(12345678000)]),
        ("spaces inside the weight are removed", rep("S 1 234  g"), [frame(1234000)]),
        ("an empty weight block is a bad field", rep(""), [err(0, "bad_field")]),
        # Rule 5.
        ("units are case-insensitive", rep("S  1.234Kg") + rep("S 1.234KG"),
         [KG_1234, KG_1234]),
        ("' g' is grams", rep("S  1234 g"), [frame(1234000)]),
        ("one letter G is grams", rep("S 1234G"), [frame(1234000)]),
        ("2.5 SJ is 1250000 mg", rep("S   2.5SJ"), [frame(1250000)]),
        ("1 TJ is 600000 mg", rep("S     1TJ"), [frame(600000)]),
        ("1 TL is 37500 mg", rep("S     1TL"), [frame(37500)]),
        ("0.50 lb is 226796 mg (226796.185 rounded)", rep("S  0.50lb"), [frame(226796)]),
        ("1.00 oz is 28350 mg (28349.523125 rounded)", rep("S  1.00oz"), [frame(28350)]),
        ("5.000 lb is 2267962 mg (2267961.85 rounded half away)", rep("S  5.000lb"),
         [frame(2267962)]),
        ("-5.000 lb is -2267962 mg", rep("S- 5.000lb"), [frame(-2267962)]),
        ("0.0005 g is 1 mg (0.5 rounded away from zero)", rep("S 0.0005g"), [frame(1)]),
        ("an unknown unit is unsupported_unit", rep("S    12pc"),
         [err(0, "unsupported_unit")]),
        ("a tonne 't' is unsupported_unit", rep("S  1.234 t"), [err(0, "unsupported_unit")]),
        # Rule 6.
        ("',' is a decimal separator in prices",
         rep("   15,43", "S  1.234kg", "   12,50"), [KG_1234_PRICED]),
        ("a price with no decimal point is whole yuan",
         rep("      15", "S  1.234kg", "      12"), [frame(1234000, total=1500, unit_price=1200)]),
        ("one decimal is tenths of a yuan", rep("    15.4", "S  1.234kg", "    12.5"),
         [frame(1234000, total=1540, unit_price=1250)]),
        ("extra zero decimals are accepted", rep("  15.430", "S  1.234kg", " 12.5000"),
         [KG_1234_PRICED]),
        ("a non-zero third decimal omits the price", rep("  15.425", "S  1.234kg", "   12.50"),
         [frame(1234000, unit_price=1250)]),
        ("an F-filled total is omitted", rep("FFFFFFFF", "S  1.234kg", "   12.50"),
         [frame(1234000, unit_price=1250)]),
        ("an all-space price is omitted", rep("        ", "S  1.234kg", "        "),
         [KG_1234]),
        ("a negative price is omitted", rep("   -1.00", "S- 0.080kg", "   12.50"),
         [frame(-80000, unit_price=1250)]),
        ("two separators omit the price", rep("  1.5,43", "S  1.234kg", "   12.50"),
         [frame(1234000, unit_price=1250)]),
        ("a price of more than 13 digits is omitted",
         rep("12345678901234", "S  1.234kg", "   12.50"), [frame(1234000, unit_price=1250)]),
        ("a price of 13 digits is accepted",
         rep("1234567890123", "S  1.234kg", "   12.50"),
         [frame(1234000, total=123456789012300, unit_price=1250)]),
        ("an SJ unit price is doubled to per kg",
         rep("   15.43", "S 2.468SJ", "    6.25"), [frame(1234000, total=1543, unit_price=1250)]),
        ("an lb unit price is omitted, the total kept",
         rep("   15.00", "S  2.50lb", "    6.00"), [frame(1133981, total=1500)]),
        ("a TJ unit price is omitted", rep("   82.28", "S 2.057TJ", "   40.00"),
         [frame(1234200, total=8228)]),
        ("a g unit price is omitted", rep("    6.17", "S  1234 g", "    0.50"),
         [frame(1234000, total=617)]),
        ("a state frame keeps a numeric total but no unit price",
         rep("    0.00", "UFFFFFFFkg", "   12.50"),
         [frame(0, stable=False, overload=True, total=0)]),
        ("a PLU block with a letter is omitted",
         rep("   15.43", "S  1.234kg", "   12.50", "  3A5"), [KG_1234_PRICED]),
        ("PLU 0 is reported", rep("    0.00", "S  0.000kg", "    0.00", "    0"),
         [frame(0, total=0, unit_price=0, plu=0)]),
    ]


def check_cases():
    global checked
    checked += check_each_case(cases(), decode)


def check_captures():
    global checked
    bins = capture_paths(CAPTURES)
    if len(bins) < 5:
        fail("%d captures found in %s, at least 5 expected" % (len(bins), CAPTURES))
    checked += len(bins)
    for c in check_each_capture(bins, decode, rd.canonical):
        if "synthesized" not in c.header.get("Captured by", ""):
            fail("%s: the header does not say who captured it or that it is synthesized"
                 % c.name)


def main():
    check_worked_example()
    check_bcc_values()
    check_cases()
    check_captures()
    if failures:
        print("cas-dc1: %d failure(s)" % len(failures))
        return 1
    print("cas-dc1: all checks passed (worked examples, %d cases and captures)" % checked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
