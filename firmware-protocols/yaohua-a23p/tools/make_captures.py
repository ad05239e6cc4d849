#!/usr/bin/env python3
"""Writes the synthesized `yaohua-a23p` captures (Python 3, stdlib only).

What it is for
    We have no Yaohua indicator on the bench, so every capture in ../captures/ is
    SYNTHESIZED from the layouts documented in ../SPEC.md and the sources it names. This
    script is the only way those .bin files come into being; it writes NAME.bin and
    NAME.header for every capture. Golden files are NOT written here: they come from
    tools/reference_decode.py (see tools/regen_goldens.sh), so that the generator (which
    knows what it meant to send) and the decoder (which only sees bytes) stay independent.

Determinism
    Every random choice comes from a random.Random seeded with SEED and the capture's
    name (so adding a capture does not change the others), and the header date is the
    constant SYNTH_DATE, so running the script twice writes identical files.

Expectations
    While building a stream the generator records, from its own intent, how many frames
    the decoder must accept and at which offsets error lines must start (per the
    error-line policy in SPEC.md section 9). It writes them into the header as
    `Expected frames` and `Expected error offsets`; tools/check_reference.py compares them
    with the goldens.

Money
    Amounts are what a price-computing indicator shows: weight as displayed x unit price,
    computed in integer fen and rounded to the nearest fen, halves up (SPEC.md 8.2). No
    floating point.

Usage
    python3 tools/make_captures.py      # (re)writes captures/*.bin and captures/*.header
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep the repository free of __pycache__
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "scripts", "protocol-tools"))

from capture_tools import RunStream, motion_path, write_captures  # noqa: E402

SEED = 20261202
SYNTH_DATE = "2026-12-02"

STX = 0x02
ETX = 0x03

OUT_DIR = os.path.join(os.path.dirname(HERE), "captures")

SYNTH_NOTE = "synthesized by tools/make_captures.py (no real indicator was connected)"


# ---------------------------------------------------------------- fields

def kg3(grams):
    """A kg weight with three decimals in the 7-character field: 1234 g -> '001.234'."""
    g = abs(grams)
    assert g <= 999999
    return "%03d.%03d" % (g // 1000, g % 1000)


def two_decimals(hundredths):
    """7 characters with two decimals: 1250 -> '0012.50' (prices, amounts, lb weights)."""
    assert 0 <= hundredths <= 999999
    return "%04d.%02d" % (hundredths // 100, hundredths % 100)


def count7(pieces):
    """Count mode weight field: seven digits, no point [S26]."""
    assert 0 <= pieces <= 9999999
    return "%07d" % pieces


def amount_fen(quantity, decimals, price_fen):
    """quantity / 10^decimals units x price_fen per unit, rounded to the nearest fen,
    halves up (the magnitude is never negative here)."""
    assert quantity >= 0
    den = 10 ** decimals
    return (2 * quantity * price_fen + den) // (2 * den)


def frame_p(weight, unit, price, amount, negative=False):
    """Format P, 27 bytes: '=', sign, 7 weight chars, unit, ';', price, ';', amount."""
    assert len(weight) == 7 and len(price) == 7 and len(amount) == 7
    assert unit in ("kg", "lb", "pc")
    text = "=" + ("-" if negative else "0") + weight + unit + ";" + price + ";" + amount
    raw = text.encode("ascii")
    assert len(raw) == 27
    return raw


def kg_frame(grams, price_fen):
    """A23P format 4 in kg with three decimals; amount of a negative reading is sent as
    0000.00 (no source shows it; SPEC.md 8.2)."""
    amount = amount_fen(grams, 3, price_fen) if grams > 0 else 0
    return frame_p(kg3(grams), "kg", two_decimals(price_fen), two_decimals(amount),
                   negative=grams < 0)


def lb_frame(hundredths, price_fen):
    """Format P in lb with two decimals; price per lb (per displayed unit [S26])."""
    amount = amount_fen(hundredths, 2, price_fen) if hundredths > 0 else 0
    return frame_p(two_decimals(abs(hundredths)), "lb", two_decimals(price_fen),
                   two_decimals(amount), negative=hundredths < 0)


def pc_frame(pieces, price_fen):
    return frame_p(count7(pieces), "pc", two_decimals(price_fen),
                   two_decimals(pieces * price_fen))


def hex_char(nibble):
    return nibble + (0x30 if nibble < 10 else 0x37)


def frame_x(digits, decimals, negative=False, allow_any_decimals=False):
    """Format X, 12 bytes: STX, sign, 6 digits, decimals, XOR hi, XOR lo, ETX [S26] [S29].
    allow_any_decimals builds a frame the layout forbids (decimals 5-9), for fault captures."""
    assert 0 <= digits <= 999999 and 0 <= decimals <= (9 if allow_any_decimals else 4)
    body = (("-" if negative else "+") + "%06d" % digits + str(decimals)).encode("ascii")
    x = 0
    for byte in body:
        x ^= byte
    return bytes([STX]) + body + bytes([hex_char(x >> 4), hex_char(x & 0x0F), ETX])


def nine_reversed(hundredths_or_thousandths, decimals, negative=False):
    """9-byte '=' format, least significant character first, sign last [S26] [S27] [S31]."""
    forward = forward7(hundredths_or_thousandths, decimals)
    return ("=" + forward[::-1] + ("-" if negative else "0")).encode("ascii")


def nine_forward(value, decimals, negative=False):
    """9-byte '=' format, sign first, most significant character first [S26] p. 22."""
    return ("=" + ("-" if negative else "0") + forward7(value, decimals)).encode("ascii")


def forward7(value, decimals):
    """Seven characters including the point: 3000 with 3 decimals -> '003.000'."""
    whole, frac = divmod(abs(value), 10 ** decimals)
    text = ("%d" % whole).rjust(6 - decimals, "0") + "." + ("%0*d" % (decimals, frac))
    assert len(text) == 7, text
    return text


# ---------------------------------------------------------------- stream model

class Stream(RunStream):
    """A RunStream (frame(), bad()) with unsupported(): a complete, valid `pc` frame: one
    error line at its '=', and it ends any run before it."""

    unsupported = RunStream.lone_error


# ---------------------------------------------------------------- captures

def cap_kg_session(rng):
    s = Stream()
    price = 1250                               # 12.50 yuan/kg

    def put(grams, price_fen=price):
        s.frame(kg_frame(grams, price_fen))

    # Item 1: 1.234 kg at 12.50 yuan/kg = 15.425 yuan -> 15.43 (half up).
    for _ in range(8):
        put(0)
    for g in motion_path(rng, 0, 1234, 5):
        put(g)
    for _ in range(15):
        put(1234)
    for g in motion_path(rng, 1234, 0, 3):
        put(max(g, 0))
    for _ in range(6):
        put(0)
    # The vendor keys in 1.00 yuan/kg; item 2 is the manual's example, 2.000 kg -> 2.00.
    for _ in range(3):
        put(0, 100)
    for g in motion_path(rng, 0, 2000, 4):
        put(g, 100)
    for _ in range(12):
        put(2000, 100)
    for g in motion_path(rng, 2000, 0, 3):
        put(max(g, 0), 100)
    for _ in range(6):
        put(0, 100)
    return s, {
        "Model emulated": "Yaohua XK3190-A23P, continuous format 4 (format P), kg",
        "Line settings": "9600 8N1 (the usual setting per [S26], [S29])",
        "Variant": "format P only, 27-byte frames back to back with no terminator; weight "
                   "in kg with three decimals; unit price and amount in yuan with two decimals",
        "Source": "layout and the 2.000 kg / 1.00 / 2.00 example from [S26] (A23P manual "
                  "pp. 22-23); " + SYNTH_NOTE,
        "Why": "the ordinary case: empty pan, a load rising, 15 repeats at 1.234 kg at "
               "12.50 yuan/kg (amount 15.425 -> 15.43 yuan), removal; then the price changed "
               "to 1.00 and the manual's example =0002.000kg;0001.00;0002.00 repeated",
        "Odd": "no stability flag exists: stable is derived from repetition (rule 4), so the "
               "first frame at each new weight is unstable and every repeat stable, also "
               "while the pan is empty and the price changes; amounts are rounded half up",
    }


def cap_lb_session(rng):
    s = Stream()
    kg_price = 1250
    lb_price = 560                             # 5.60 yuan per lb (per displayed unit)

    for _ in range(4):
        s.frame(kg_frame(0, kg_price))
    for _ in range(3):
        s.frame(kg_frame(500, kg_price))
    for _ in range(3):
        s.frame(kg_frame(0, kg_price))
    # Unit switched to lb: price now per lb; unit_price_fen must be omitted (fact sheet 2.4).
    for _ in range(4):
        s.frame(lb_frame(0, lb_price))
    for v in motion_path(rng, 0, 50, 3):
        s.frame(lb_frame(v, lb_price))
    for _ in range(6):
        s.frame(lb_frame(50, lb_price))        # 0.50 lb = 226796.185 mg -> 226796
    for v in motion_path(rng, 50, 0, 2):
        s.frame(lb_frame(max(v, 0), lb_price))
    for _ in range(3):
        s.frame(lb_frame(0, lb_price))
    for v in motion_path(rng, 0, 5000, 4):
        s.frame(lb_frame(v, lb_price))
    for _ in range(8):
        s.frame(lb_frame(5000, lb_price))      # 50.00 lb = 22679618.5 mg -> 22679619
    for v in motion_path(rng, 5000, 0, 3):
        s.frame(lb_frame(max(v, 0), lb_price))
    for _ in range(4):
        s.frame(lb_frame(0, lb_price))
    return s, {
        "Model emulated": "Yaohua XK3190-A23P, continuous format 4 (format P), kg then lb",
        "Line settings": "9600 8N1 (the usual setting per [S26], [S29])",
        "Variant": "format P; a few kg frames, then the unit switched to lb (two decimals), "
                   "unit price 5.60 yuan per lb",
        "Source": "unit letters kg/lb/pc and price basis 'per displayed unit' from [S26]; "
                  "lb factor and rounding from the fact sheet 2.3; " + SYNTH_NOTE,
        "Why": "lb frames carry no unit_price_fen (a per-kg price would not be exact, fact "
               "sheet 2.4) but do carry total_fen; 0.50 lb rounds 226796.185 mg down to "
               "226796 and 50.00 lb rounds 22679618.5 mg half away from zero to 22679619",
        "Odd": "no source says how many decimals an A23P shows in lb; two are used here",
    }


def cap_count_mode(rng):
    s = Stream()
    price = 1250
    for _ in range(3):
        s.frame(kg_frame(0, price))
    for g in motion_path(rng, 0, 500, 3):
        s.frame(kg_frame(g, price))
    for _ in range(6):
        s.frame(kg_frame(500, price))
    # Count mode: the weight field holds pieces, the price is per piece [S26]. Every
    # complete `pc` frame is one unsupported_unit error line (rule 2).
    for n in (0, 0, 8, 17, 20, 20, 20, 20):
        s.unsupported(pc_frame(n, 100))       # 20 pieces: =00000020pc;0001.00;0020.00
    # Back to weighing with the same load: the first kg frame is stable, because the
    # error lines in between do not reset the repetition rule (rule 4).
    for _ in range(5):
        s.frame(kg_frame(500, price))
    for g in motion_path(rng, 500, 0, 2):
        s.frame(kg_frame(max(g, 0), price))
    for _ in range(4):
        s.frame(kg_frame(0, price))
    return s, {
        "Model emulated": "Yaohua XK3190-A23P, continuous format 4 (format P), kg and count mode",
        "Line settings": "9600 8N1 (the usual setting per [S26], [S29])",
        "Variant": "format P; kg frames, then eight count-mode frames with unit pc and a "
                   "price per piece, then kg again",
        "Source": "count-mode example =00000020pc;0001.00;0020.00 from [S26]; " + SYNTH_NOTE,
        "Why": "rule 2: a pc frame is counting, not weighing, so each one is an "
               "unsupported_unit error line and no frame; rule 4: the kg frame after the pc "
               "run repeats the last kg weight (0.500 kg) and is therefore stable",
        "Odd": "each pc frame gives its own error line (they are complete frames, like "
               "Toledo's unsupported unit codes), so eight error lines in a row",
    }


def cap_negative(rng):
    s = Stream()
    price = 1250
    for _ in range(4):
        s.frame(kg_frame(0, price))
    # A bowl left from the last customer is lifted without re-zeroing: negative readings.
    for g in motion_path(rng, 0, -150, 3):
        s.frame(kg_frame(g, price))
    for _ in range(6):
        s.frame(kg_frame(-150, price))         # =-000.150kg;0012.50;0000.00
    # Zero drift: the display shows -0.002 kg, then the vendor presses ZERO.
    for _ in range(4):
        s.frame(kg_frame(-2, price))
    # A negative zero as some displays show while settling: '-' with all digits 0.
    for _ in range(2):
        s.frame(frame_p(kg3(0), "kg", two_decimals(price), two_decimals(0), negative=True))
    for _ in range(4):
        s.frame(kg_frame(0, price))
    # The same in lb: -0.33 lb.
    for _ in range(3):
        s.frame(lb_frame(-33, 560))
    for _ in range(3):
        s.frame(lb_frame(0, 560))
    # A large negative reading: a 25 kg sack lifted off a zeroed pan.
    for _ in range(3):
        s.frame(kg_frame(-25000, price))
    for _ in range(3):
        s.frame(kg_frame(0, price))
    return s, {
        "Model emulated": "Yaohua XK3190-A23P, continuous format 4 (format P), negative readings",
        "Line settings": "9600 8N1 (the usual setting per [S26], [S29])",
        "Variant": "format P with the sign character '-' at position 1; kg and lb",
        "Source": "sign characters '0'/'-' from [S26] and [S27]; " + SYNTH_NOTE,
        "Why": "negative weights: -0.150 kg, -0.002 kg drift, a '-' sign with all digits 0 "
               "(decodes to 0, so the unsigned 0.000 frames after it are repeats and stable), "
               "-0.33 lb and -25.000 kg",
        "Odd": "no source shows the amount an A23P sends while the weight is negative; this "
               "capture sends 0000.00, and the decoder reports the field as sent (total_fen 0). "
               "Overload is not carried by format P and no source shows what the indicator "
               "sends when overloaded, so there is no overload frame",
    }


def cap_x_session(rng):
    s = Stream()

    def put(hundredths):
        s.frame(frame_x(abs(hundredths), 2, negative=hundredths < 0))

    for _ in range(6):
        put(0)
    for v in motion_path(rng, 0, 2000, 5):
        put(v)
    for _ in range(12):
        put(2000)                               # 02 2B 30 30 32 30 30 30 32 31 42 03
    for v in motion_path(rng, 2000, 0, 3):
        put(max(v, 0))
    for _ in range(5):
        put(0)
    for v in motion_path(rng, 0, 12345, 4):
        put(v)
    for _ in range(10):
        put(12345)
    for v in motion_path(rng, 12345, -40, 3):
        put(v)
    for _ in range(4):
        put(-40)
    for _ in range(4):
        put(0)
    return s, {
        "Model emulated": "Yaohua XK3190-A9+ with tF=0 (A23P continuous format 0): format X",
        "Line settings": "9600 8N1 (the usual setting per [S26], [S29])",
        "Variant": "format X only, 12-byte frames back to back; two decimals",
        "Source": "layout and XOR from [S26] and [S29]; the +20.00 frame and its XOR 0x1B "
                  "from [S30]; " + SYNTH_NOTE,
        "Why": "the format X session: empty, rising, 12 repeats of the worked example "
               "+20.00 (bytes 02 2B 30 30 32 30 30 30 32 31 42 03), removal, a second load at "
               "123.45 kg, and a stable negative reading of -0.40 kg",
        "Odd": "format X carries no unit; kg is assumed (rule 3). Stability is derived "
               "from repetition as for format P",
    }


def cap_x_decimals(rng):
    s = Stream()
    # Every decimals digit 0-4, positive and negative, each repeated.
    for digits, decimals, negative in (
            (0, 0, False), (1234, 0, False), (1234, 0, True),
            (12345, 1, False), (12345, 1, True),
            (12345, 2, False), (150, 3, True), (1234, 3, False),
            (123456, 4, False), (5, 4, True), (0, 3, True), (0, 3, False)):
        for _ in range(3):
            s.frame(frame_x(digits, decimals, negative))
    # A frame whose decimals character is '5' (outside 0-4): rejected, one error line.
    s.bad(frame_x(1234, 5, allow_any_decimals=True))
    for _ in range(3):
        s.frame(frame_x(0, 3))
    return s, {
        "Model emulated": "Yaohua XK3190 indicator in continuous format 0 (format X)",
        "Line settings": "9600 8N1 (the usual setting per [S26], [S29])",
        "Variant": "format X with every decimals digit 0-4 and both signs",
        "Source": "layout and XOR from [S26] and [S29]; " + SYNTH_NOTE,
        "Why": "rule 3 for each decimals digit: +001234/0 = 1234 kg, 123.45 kg, 12.3456 kg, "
               "-0.150 kg, -0.0005 kg, and '-' with all digits 0 (decodes to 0)",
        "Odd": "one frame has decimals character '5', which the layout does not allow; its "
               "XOR is correct for its own bytes, so only the decimals rule rejects it "
               "(bad_field, one error line at its STX)",
    }


def cap_noisy(rng):
    s = Stream()
    price = 1250

    def p(grams):
        return kg_frame(grams, price)

    # 1. The file starts in the middle of a format P frame (its last 13 bytes).
    s.bad(p(1234)[-13:])
    for _ in range(5):
        s.frame(p(0))
    for g in (412, 1020, 1198):
        s.frame(p(g))
    for _ in range(4):
        s.frame(p(1234))
    # 2. Injected garbage between two frames.
    s.bad(b"\x11\x13~noise\x00")
    for _ in range(3):
        s.frame(p(1234))
    # 3. A frame with one corrupted byte in the weight field ('2' -> 'r').
    bad = bytearray(p(1234))
    bad[5] = ord("r")
    s.bad(bytes(bad))
    for _ in range(3):
        s.frame(p(1234))
    # 4. A torn frame: the first 15 bytes of a frame, then a whole new frame.
    s.bad(p(1234)[:15])
    for _ in range(3):
        s.frame(p(1234))
    # 5. A burst as seen at a wrong baud rate (no '=' and no STX in it).
    junk = bytes(rng.choice((0xFF, 0x00, 0x80, 0xF8, 0xFE, 0xE0, 0x9C, 0x86))
                 for _ in range(40))
    assert 0x3D not in junk and STX not in junk
    s.bad(junk)
    for _ in range(3):
        s.frame(p(1234))
    # 6. The installer switches the indicator to continuous format 0: format X frames.
    for _ in range(4):
        s.frame(frame_x(1234, 3))
    # 7. A format X frame with a corrupted checksum character.
    bad = bytearray(frame_x(1234, 3))
    bad[10] = ord("0") if bad[10] != ord("0") else ord("1")
    s.bad(bytes(bad))
    for _ in range(3):
        s.frame(frame_x(1234, 3))
    # 8. A format X frame whose ETX was lost (the next STX follows the checksum).
    s.bad(frame_x(1234, 3)[:11])
    for _ in range(3):
        s.frame(frame_x(1234, 3))
    # 9. Garbage holding a stray '=' and a stray STX.
    s.bad(b"=0\x02+9")
    for _ in range(2):
        s.frame(frame_x(0, 3))
    # 10. Back to format P; then the file ends in the middle of a frame.
    for _ in range(3):
        s.frame(p(0))
    s.bad(p(0)[:20])
    return s, {
        "Model emulated": "Yaohua XK3190-A23P on a noisy line, format P then format X",
        "Line settings": "9600 8N1 (assumed), with a burst received at a wrong baud rate",
        "Variant": "format P (kg, 12.50 yuan/kg), then format X with three decimals, then P",
        "Source": "layouts from [S26], [S29]; noise patterns from the fact sheet section 9.2 "
                  "(wrong-baud bytes 0xFF/0x00/0x80/0xF8); " + SYNTH_NOTE,
        "Why": "resynchronisation and the error-line policy: leading half frame, injected "
               "garbage, a corrupted weight byte, a torn frame, a wrong-baud burst, a format "
               "switch mid-stream, a bad XOR character, a lost ETX, garbage holding a stray "
               "'=' and STX, and a truncated frame at end of file",
        "Odd": "everything; every fault is separated from the next by good frames, so each "
               "yields exactly one error line. The repetition rule runs across the faults and "
               "across the switch of format: the first format X frame (+001234, 3 decimals) "
               "repeats the 1.234 kg of the last format P frame and is therefore stable",
    }


def cap_nine_byte(rng):
    s = Stream()
    price = 1250
    # Format 1 of the A26 (reversed): '=', weight least significant first, sign last.
    for v in (0, 0, 0, 1200, 2950, 3000, 3000, 3000, 3000):
        s.bad(nine_reversed(v, 3))
    # The installer sets format 3 (the A23P's format 4): format P frames decode.
    for _ in range(6):
        s.frame(kg_frame(3000, price))
    # Format 2 of the A26 (forward): '=', sign, weight most significant first.
    for v in (3000, 3000, 3000, 3000, -150, 0):
        s.bad(nine_forward(abs(v), 3, negative=v < 0))
    # Back to format P.
    for _ in range(4):
        s.frame(kg_frame(0, price))
    for g in motion_path(rng, 0, 3000, 3):
        s.frame(kg_frame(g, price))
    for _ in range(4):
        s.frame(kg_frame(3000, price))
    return s, {
        "Model emulated": "Yaohua XK3190-A26, communication formats 1, 3 and 2 in turn",
        "Line settings": "9600 8N1 (the usual setting per [S26], [S27])",
        "Variant": "9-byte reversed '=' frames (=000.3000 for 3.000 kg), then format P, then "
                   "9-byte forward '=' frames (=0003.000), then format P",
        "Source": "9-byte layouts from [S26] and [S27], the reversed stream as parsed by "
                  "weighbridge programs [S31]; format P from [S26]; " + SYNTH_NOTE,
        "Why": "fact sheet 8.2: the 9-byte formats must NOT decode, because the reversed and "
               "the forward variant cannot be told apart (=0003.000 is 3.000 forward but "
               "0.3 reversed); each 9-byte stretch is one error run, format P decodes",
        "Odd": "each '=' of a 9-byte frame starts a format P candidate that fails at its "
               "position 9 (another '=' instead of a unit letter), so each stretch is one "
               "bad_field error line at its first byte",
    }


CAPTURES = [
    ("a23p-kg-session", cap_kg_session),
    ("a23p-lb-session", cap_lb_session),
    ("a23p-count-mode", cap_count_mode),
    ("a23p-negative", cap_negative),
    ("a9plus-x-session", cap_x_session),
    ("x-decimals-negative", cap_x_decimals),
    ("noisy-line", cap_noisy),
    ("a26-nine-byte-equals", cap_nine_byte),
]

def main():
    write_captures(CAPTURES, SEED, SYNTH_DATE, SYNTH_NOTE, OUT_DIR, name_width=24)


if __name__ == "__main__":
    main()
