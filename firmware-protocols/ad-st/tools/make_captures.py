#!/usr/bin/env python3
"""Writes the synthesized `ad-st` captures (Python 3, stdlib only).

What it is for
    We have no real scale on the bench, so every capture in ../captures/ is SYNTHESIZED
    from the line layouts documented in ../SPEC.md and the sources it names. This script
    is the only way those .bin files come into being; it writes NAME.bin and NAME.header
    for every capture. Golden files are NOT written here: they come from
    tools/reference_decode.py (see tools/regen_goldens.sh), so that the generator (which
    knows what it meant to send) and the decoder (which only sees bytes) stay independent.

Determinism
    Every random choice comes from a random.Random seeded with SEED and the capture's
    name (so adding a capture does not change the others), and the header date is the
    constant SYNTH_DATE, so running the script twice writes identical files.

Expectations
    While building a stream the generator records, from its own intent, how many frames
    the decoder must accept and at which offsets error lines must start (per the
    error-line policy in SPEC.md section 10: at most one error line per piece, at the
    piece's first byte). It writes them into the header as `Expected frames` and
    `Expected error offsets`; tools/check_reference.py compares them with the goldens.

Usage
    python3 tools/make_captures.py      # (re)writes captures/*.bin and captures/*.header
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep the repository free of __pycache__
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "scripts", "protocol-tools"))

from capture_tools import motion_path, write_captures  # noqa: E402

SEED = 20261202
SYNTH_DATE = "2026-12-02"

CR = b"\r"
LF = b"\n"
CRLF = b"\r\n"

OUT_DIR = os.path.join(os.path.dirname(HERE), "captures")

SYNTH_NOTE = "synthesized by tools/make_captures.py (no real scale was connected)"

WRONG_BAUD = (0x80, 0xF8, 0xFF, 0x00)


# ---------------------------------------------------------------- fields

def number(counts, decimals):
    """|counts| / 10^decimals as the digits a display shows, e.g. (1234, 3) -> '1.234'."""
    text = str(abs(counts)).rjust(decimals + 1, "0")
    if decimals == 0:
        return text
    return text[:-decimals] + "." + text[-decimals:]


def field(counts, decimals, width, pad="0", sign="always"):
    """A signed weight field of `width` characters, the sign included.

    pad "0": sign first, then the number zero-filled (A&D, CAS, AD-4404 style);
    pad " ": sign first, then spaces, then the number (Chinese copies [S19], Excell [S17]);
    pad "r": right-aligned with spaces, the sign (if any) next to the digits (Dini Argeo).
    sign "always": '+' or '-'; "negative": '-' or a space; "none": nothing (CAS data bytes,
    where the first byte becomes '-' only for a negative weight)."""
    digits = number(counts, decimals)
    neg = counts < 0
    if sign == "always":
        mark = "-" if neg else "+"
    elif sign == "negative":
        mark = "-" if neg else " "
    else:
        mark = "-" if neg else ""
    if pad == "r":
        out = (mark.strip() + digits).rjust(width)
    else:
        room = width - len(mark)
        filler = "0" if pad == "0" else " "
        out = mark + digits.rjust(room, filler)
    assert len(out) == width, (out, width)
    return out


def blank_field(width, point_at=None, sign="+"):
    """A field whose digits are all spaces (AD-4404 [S14], Excell [S17] out of range)."""
    chars = [" "] * width
    if sign:
        chars[0] = sign
    if point_at is not None:
        chars[point_at] = "."
    return "".join(chars)


def line(*parts, term=CRLF):
    raw = b"".join(p.encode("latin-1") if isinstance(p, str) else p for p in parts)
    assert CR not in raw and LF not in raw, raw
    return raw + term


# ---------------------------------------------------------------- stream model

class Stream:
    """Bytes of one capture plus what the decoder must make of them.

    frame(raw):     one whole line (terminator included) that decodes to one frame.
    silent(raw):    one whole line that is valid but carries no weighing (QT, TR): nothing.
    bad(raw):       one whole line that is no frame: one error line at its first byte.
    prefixed(junk, raw): bytes without CR/LF glued to the front of a frame line: one error
                    line at the junk's first byte, then the frame.
    noise(raw):     CR/LF bytes only (empty pieces): nothing.
    truncated(raw): an unterminated tail at the end of the file: one error line.
    """

    def __init__(self):
        self.data = bytearray()
        self.frames = 0
        self.error_offsets = []
        self.closed = False

    def _put(self, raw):
        assert not self.closed
        self.data += raw

    def _whole(self, raw):
        body = raw.rstrip(b"\r\n")
        assert body and CR not in body and LF not in body and raw != body, raw

    def frame(self, raw):
        self._whole(raw)
        self._put(raw)
        self.frames += 1

    def silent(self, raw):
        self._whole(raw)
        self._put(raw)

    def bad(self, raw):
        self._whole(raw)
        self.error_offsets.append(len(self.data))
        self._put(raw)

    def prefixed(self, junk, raw):
        assert junk and CR not in junk and LF not in junk
        self._whole(raw)
        self.error_offsets.append(len(self.data))
        self._put(junk + raw)
        self.frames += 1

    def noise(self, raw):
        assert raw and all(b in b"\r\n" for b in raw)
        self._put(raw)

    def truncated(self, raw):
        assert raw and CR not in raw and LF not in raw
        self.error_offsets.append(len(self.data))
        self._put(raw)
        self.closed = True


def burst(rng, count):
    return bytes(rng.choice(WRONG_BAUD) for _ in range(count))


# ---------------------------------------------------------------- captures

def cap_ad4404_session(rng):
    """AD-4404, A&D data format, 18 bytes: ST,GS,+0012.34kg CR LF [S14]."""
    s = Stream()

    def put(h1, h2, counts):
        s.frame(line(h1, ",", h2, ",", field(counts, 2, 8), "kg"))

    for _ in range(6):
        put("ST", "GS", 0)
    for v in motion_path(rng, 0, 1250, 4):
        put("US", "GS", v)
    for _ in range(10):
        put("ST", "GS", 1250)
    for v in motion_path(rng, 1250, 0, 3):
        put("US", "GS", v)
    for _ in range(5):
        put("ST", "GS", 0)
    # A crate goes on and is tared: net zero, then goods into the crate.
    for v in motion_path(rng, 0, 85, 2):
        put("US", "GS", v)
    for _ in range(3):
        put("ST", "GS", 85)
    for _ in range(4):
        put("ST", "NT", 0)
    for v in motion_path(rng, 0, 2316, 4):
        put("US", "NT", v)
    for _ in range(10):
        put("ST", "NT", 2316)
    # Crate and goods taken off: the net weight goes negative by the crate.
    for v in motion_path(rng, 2316, -85, 3):
        put("US", "NT", v)
    for _ in range(5):
        put("ST", "NT", -85)
    for _ in range(6):
        put("ST", "GS", 0)
    return s, {
        "Model emulated": "A&D AD-4404 check-weighing indicator, \"A&D data format\" (18 bytes)",
        "Line settings": "9600 8N1 (assumed; baud rate and parity are set in the AD-4404 function table)",
        "Variant": "ST/US header, GS/NT header, sign and 7 characters with 2 decimals, unit kg, CR LF",
        "Source": "layout from [S14] and CAS \"AND 18 bytes\" [S16]; " + SYNTH_NOTE,
        "Why": "the common model's normal weighing session: empty pan, load rising in motion, "
               "stable hold, removal; then a crate tared (NT), goods weighed net, and everything "
               "removed so the net weight goes negative",
        "Odd": "nothing on purpose; every line is a frame",
    }


def cap_ad4404_tonne_cr(rng):
    """AD-4404 with CR alone as the terminator [S14], weighing in tonnes."""
    s = Stream()

    def put(h1, h2, counts):
        s.frame(line(h1, ",", h2, ",", field(counts, 3, 8), " t", term=CR))

    for _ in range(5):
        put("ST", "GS", 0)
    for v in motion_path(rng, 0, 18460, 5):
        put("US", "GS", v)
    for _ in range(8):
        put("ST", "GS", 18460)
    for v in motion_path(rng, 18460, 0, 4):
        put("US", "GS", v)
    for _ in range(3):
        put("ST", "GS", -20)
    for _ in range(3):
        put("ST", "GS", 0)
    # Over capacity: the AD-4404 fills the digits with spaces [S14].
    for _ in range(3):
        s.frame(line("OL,GS,", blank_field(8, point_at=4), " t", term=CR))
    for _ in range(4):
        put("ST", "GS", 0)
    return s, {
        "Model emulated": "A&D AD-4404 with the CR-only terminator, weighing in t",
        "Line settings": "9600 8N1 (assumed)",
        "Variant": "ST/US/OL header, GS, sign and 7 characters with 3 decimals, unit \" t\", CR only",
        "Source": "layout and CR-only terminator from [S14] (unit t: fact sheet 2.3); " + SYNTH_NOTE,
        "Why": "rule 1 with CR as the only terminator; the tonne unit (10^9 mg); a small "
               "negative reading; out-of-range lines with space-filled digits (rule 5)",
        "Odd": "the unit is sent as \" t\" (space, t) to keep the 18-byte width; the sources "
               "name the unit but do not show its alignment",
    }


def cap_ad_balance(rng):
    """A&D balance format, no header 2, 9-character data, unit right-aligned in 3 [S13]."""
    s = Stream()

    def put(h1, counts, decimals, unit, sign="always"):
        s.frame(line(h1, ",", field(counts, decimals, 9, sign=sign), unit.rjust(3)))

    for _ in range(4):
        put("ST", 0, 2, "g")
    for v in motion_path(rng, 0, 12345, 4):
        put("US", v, 2, "g")
    for _ in range(6):
        put("ST", 12345, 2, "g")                  # ST,+00123.45  g
    put("ST", 1234565, 5, "g")                    # 12.34565 g = 12345.65 mg -> 12346
    put("ST", -82, 4, "g")                        # -0.0082 g -> -8 mg
    put("ST", 5, 5, "g")                          # 0.00005 g -> 0 mg
    for _ in range(3):
        put("ST", 0, 2, "g")
    # The same balance switched to kg, 4 decimals (the HC-i answer layout [S33]).
    for _ in range(3):
        put("ST", 12346, 4, "kg")                 # ST,+001.2346 kg
    # Pounds and ounces: lb = 0.45359237 kg, oz = 28.349523125 g exactly.
    for _ in range(3):
        put("ST", 50, 2, "lb")                    # 0.50 lb -> 226796 mg
    put("US", -5000000, 5, "lb")                  # -50.00000 lb -> -22679619 mg
    for _ in range(3):
        put("ST", 100, 2, "oz")                   # 1.00 oz -> 28350 mg
    put("ST", 3527, 3, "oz")                      # 3.527 oz -> 99989 mg
    # Sign sent only when negative (fact sheet 6.2, [S13]): a space stands in its place.
    for _ in range(3):
        put("ST", 12345, 2, "g", sign="negative")
    put("ST", -500, 2, "g", sign="negative")
    for _ in range(3):
        put("ST", 0, 2, "g")
    return s, {
        "Model emulated": "A&D EK-L / GH balance, A&D standard format (no second header)",
        "Line settings": "2400 7E1 (assumed; set in the balance's function table)",
        "Variant": "ST/US header, 9-character data with sign and point, unit right-aligned in 3 characters; g, kg, lb, oz",
        "Source": "layout from [S13] and [S15]; kg with 4 decimals as in [S33]; " + SYNTH_NOTE,
        "Why": "the balance layout without header 2; exact unit conversion with rounding "
               "(0.50 lb, -50 lb half away from zero, 1.00 oz, 12.34565 g, -0.0082 g, "
               "0.00005 g); the sign omitted for positive values",
        "Odd": "the balance changes unit mid-capture, which a real operator does with the unit key",
    }


def cap_gc_comparator(rng):
    """A&D GC series: comparator result in place of header 2 [S15]."""
    s = Stream()

    def put(h1, h2, counts):
        head = h1 + "," + (h2 + "," if h2 else "")
        s.frame(line(head, field(counts, 3, 9), " kg"))

    for _ in range(3):
        put("ST", "--", 0)
    for v in motion_path(rng, 0, 498, 3):
        put("US", "LO", v)
    for _ in range(5):
        put("ST", "LO", 498)
    for v in motion_path(rng, 498, 1005, 2):
        put("US", "OK", v)
    for _ in range(6):
        put("ST", "OK", 1005)                     # ST,OK,+0001.005 kg
    for v in motion_path(rng, 1005, 1320, 2):
        put("US", "HI", v)
    for _ in range(5):
        put("ST", "HI", 1320)
    for v in motion_path(rng, 1320, 0, 3):
        put("US", "--", v)
    # Comparator off: the same balance without header 2.
    for _ in range(4):
        put("ST", None, 0)
    for _ in range(4):
        put("ST", None, 1234)                     # ST,+0001.234 kg
    for _ in range(3):
        put("ST", None, 0)
    return s, {
        "Model emulated": "A&D GC series counting/check-weighing balance, A&D standard format with comparator",
        "Line settings": "2400 7E1 (assumed)",
        "Variant": "ST/US header, comparator header LO/OK/HI/--, 9-character data, unit \" kg\"",
        "Source": "layout from [S15]; " + SYNTH_NOTE,
        "Why": "rule 3: the comparator results LO, OK, HI and -- in the header-2 position; "
               "such frames are never net; then the same lines without header 2",
        "Odd": "LO here is a comparator result, not the AD-4404 out-of-range header (fact sheet 11)",
    }


def lamp(stable, gross, tare=False, zero=False, hold=False, printer=False, bit5=0):
    """CAS lamp byte [S16]: bit 7 = 1, 6 stable, 5 model constant, 4 hold, 3 printer,
    2 gross, 1 tare, 0 zero."""
    value = 0x80 | (bit5 << 5)
    for bit, on in ((6, stable), (4, hold), (3, printer), (2, gross), (1, tare), (0, zero)):
        if on:
            value |= 1 << bit
    return bytes([value])


def cap_cas_22(rng):
    """CAS 22 bytes: ST,GS, ID LAMP , 8-byte data, space, kg, CR LF [S16]."""
    s = Stream()

    def put(h1, h2, counts, device_id, bit5, unit="kg", tare=False, decimals=3):
        stable = h1 == "ST"
        raw = line(h1, ",", h2, ",", device_id,
                   lamp(stable, h2 == "GS", tare=tare, zero=counts == 0, bit5=bit5), ",",
                   field(counts, decimals, 8, sign="none"), " " + unit)
        assert len(raw) == 22, raw
        s.frame(raw)

    # CI-600D: device ID 1 sent as ASCII '1', lamp bit 5 = 0.
    for _ in range(4):
        put("ST", "GS", 0, "1", 0)
    for v in motion_path(rng, 0, 13500, 4):
        put("US", "GS", v, "1", 0)
    for _ in range(8):
        put("ST", "GS", 13500, "1", 0)          # 0013.500: 13.5 kg as in [S16]
    for _ in range(3):
        put("ST", "NT", 0, "1", 0, tare=True)
    for v in motion_path(rng, 0, -2400, 2):
        put("US", "NT", v, "1", 0, tare=True)
    for _ in range(3):
        put("ST", "NT", -2400, "1", 0, tare=True)
    for _ in range(3):
        put("ST", "GS", 0, "1", 0)
    # NT-200: device 13 is the ASCII byte 0x3D ('='), the example of its manual [S16].
    for _ in range(3):
        put("ST", "GS", 0, "=", 1)
    for _ in range(4):
        put("ST", "GS", 4875, "=", 1)
    # CI-400 family in tonnes, lamp bit 5 = 1.
    for _ in range(3):
        put("ST", "GS", 1250, "1", 1, unit=" t")
    for _ in range(3):
        put("ST", "GS", 0, "1", 1)
    return s, {
        "Model emulated": "CAS CI-600D, NT-200 and CI-400 indicators, \"CAS 22 bytes\" output",
        "Line settings": "9600 8N1 (assumed)",
        "Variant": "header 1, header 2, device ID byte and lamp byte, 8-byte data without sign (\"-\" first when negative), blank, unit; CR LF",
        "Source": "layout, device ID and lamp byte from [S16] and the CI-400 manual cited in the fact sheet 6.2; " + SYNTH_NOTE,
        "Why": "rule 3's ID/lamp field: lamp bytes have bit 7 set (0x80-0xFF inside a line) "
               "and the device ID is an ASCII byte ('1', '=' for device 13); lamp bit 5 = 0 "
               "(CI-600D) and 1 (CI-400, NT-200); kg and t",
        "Odd": "negative weights put '-' in the first data byte (the sources show only a "
               "positive example); the tonne lines send the unit as \"  t\" to keep 22 bytes",
    }


def cap_chinese_spaces(rng):
    """Chinese copies and Excell: leading zeros sent as spaces, ST,GS,+  4.876kg [S19], [S17]."""
    s = Stream()

    def put(h1, h2, counts):
        s.frame(line(h1, ",", h2, ",", field(counts, 3, 8, pad=" "), "kg"))

    for _ in range(5):
        put("ST", "GS", 0)                      # ST,GS,+  0.000kg
    for v in motion_path(rng, 0, 4876, 3):
        put("US", "GS", v)
    for _ in range(8):
        put("ST", "GS", 4876)                   # ST,GS,+  4.876kg, the [S19] line
    for v in motion_path(rng, 4876, 0, 2):
        put("US", "GS", v)
    for _ in range(3):
        put("ST", "GS", -125)                   # ST,GS,-  0.125kg
    for _ in range(3):
        put("ST", "GS", 0)
    for _ in range(3):
        put("ST", "NT", 0)
    for v in motion_path(rng, 0, 36050, 3):
        put("US", "NT", v)
    for _ in range(6):
        put("ST", "NT", 36050)                  # ST,NT,+ 36.050kg
    for v in motion_path(rng, 36050, 0, 2):
        put("US", "GS", v)
    for _ in range(4):
        put("ST", "GS", 0)
    return s, {
        "Model emulated": "Chinese counter-scale indicator copying the A&D line; Excell H3/AM4 RS-232 output",
        "Line settings": "9600 8N1 (the setting of [S19])",
        "Variant": "GS/NT, sign then spaces for leading zeros, 3 decimals, unit kg, CR LF",
        "Source": "line ST,GS,+  4.876kg from [S19]; space padding from [S17]; " + SYNTH_NOTE,
        "Why": "rule 4: spaces between the sign and the digits; a weighing session with a "
               "negative reading and a net phase",
        "Odd": "nothing on purpose",
    }


def cap_dini_argeo(rng):
    """Dini Argeo 3590 "STANDARD" string: HH,KK,PPPPPPPP,UM CR LF [S18]."""
    s = Stream()

    def raw(h1, h2, counts, unit="Kg", decimals=2):
        return line(h1, ",", h2, ",", field(counts, decimals, 8, pad="r", sign="negative"), ",", unit)

    def put(*args, **kw):
        s.frame(raw(*args, **kw))

    for _ in range(4):
        put("ST", "GS", 0)                      # ST,GS,    0.00,Kg
    for v in motion_path(rng, 0, 12345, 4):
        put("US", "GS", v)
    for _ in range(8):
        put("ST", "GS", 12345)                  # ST,GS,  123.45,Kg
    for v in motion_path(rng, 12345, 0, 3):
        put("US", "GS", v)
    # Pan lifted off: under the zero range the 3590 reports UL.
    for _ in range(3):
        put("UL", "GS", -1234)
    for _ in range(3):
        put("ST", "GS", 0)
    for _ in range(3):
        put("ST", "NT", -1050)                  # ST,NT,  -10.50,Kg
    for _ in range(3):
        put("ST", "GS", 2750, unit="lb")        # 27.50 lb
    for _ in range(3):
        put("ST", "GS", 500, unit="g", decimals=0)
    # The RS485 variant puts the instrument code first [S18]: by rule 2 those two bytes
    # are garbage before the header, so each such line is an error line and a frame.
    for _ in range(2):
        s.prefixed(b"00", raw("ST", "GS", 12345))
    for _ in range(3):
        put("ST", "GS", 0)
    return s, {
        "Model emulated": "Dini Argeo 3590EXP, transmission protocol \"STANDARD\"",
        "Line settings": "9600 8N1 (assumed)",
        "Variant": "header 1 ST/US/UL, GS/NT, 8-character right-aligned weight, comma before the unit, unit Kg/lb/g",
        "Source": "layout and UL header from [S18]; " + SYNTH_NOTE,
        "Why": "rule 4's optional comma before the unit; the capitalised unit Kg "
               "(units are case-insensitive, rule 7); UL underload as an overload state "
               "frame (rule 5); the sign next to the digits",
        "Odd": "two lines carry the RS485 instrument code 00 in front of the header: rule 2 "
               "makes each an error line at the line's first byte followed by the frame",
    }


def cap_overload(rng):
    """Out-of-range lines of every layout, with normal frames between them."""
    s = Stream()

    def zero_ad4404():
        s.frame(line("ST,GS,", field(0, 2, 8), "kg"))

    zero_ad4404()
    zero_ad4404()
    # AD-4404: digits filled with spaces [S14].
    s.frame(line("OL,GS,", blank_field(8, point_at=5), "kg"))
    s.frame(line("OL,NT,", blank_field(8, point_at=5), "kg"))
    # The AD-4404 manual text also names LO as the out-of-range header [S14]; no other
    # source does and it would collide with the GC comparator, so it is not decoded
    # (fact sheet 11): the line is garbage.
    s.bad(line("LO,GS,", blank_field(8, point_at=5), "kg"))
    zero_ad4404()
    # A&D balances: +999999.9 or +9999999E+19 [S13], with and without unit.
    s.frame(line("ST,", field(0, 2, 9), "  g"))
    s.frame(line("OL,+999999.9  g"))
    s.frame(line("OL,-999999.9  g"))
    s.frame(line("OL,+9999999E+19"))
    s.frame(line("OL,-9999999E+19"))
    s.frame(line("ST,", field(0, 2, 9), "  g"))
    # Excell: digits filled with spaces [S17].
    s.frame(line("ST,GS,", field(0, 3, 8, pad=" "), "kg"))
    s.frame(line("OL,GS,", blank_field(8), "kg"))
    s.frame(line("ST,GS,", field(0, 3, 8, pad=" "), "kg"))
    # Dini Argeo: OL over capacity, UL under the zero range [S18].
    s.frame(line("ST,GS,", field(0, 2, 8, pad="r", sign="negative"), ",Kg"))
    s.frame(line("OL,GS,", field(60001, 1, 8, pad="r", sign="negative"), ",Kg"))
    s.frame(line("UL,NT,", field(-20015, 2, 8, pad="r", sign="negative"), ",Kg"))
    s.frame(line("ST,GS,", field(0, 2, 8, pad="r", sign="negative"), ",Kg"))
    # CAS 22 bytes: OL with its ID and lamp byte [S16].
    s.frame(line("OL,GS,1", lamp(False, True), ",", blank_field(8, sign=None), " kg"))
    s.frame(line("ST,GS,1", lamp(True, True, zero=True), ",", field(0, 3, 8, sign="none"), " kg"))
    # An OL line is a state frame whatever its body holds (rule 5), even a header-2 TR.
    s.frame(line("OL,TR,", blank_field(8, point_at=5), "kg"))
    for _ in range(3):
        zero_ad4404()
    return s, {
        "Model emulated": "out-of-range output of AD-4404, A&D balances, Excell, Dini Argeo and CAS indicators",
        "Line settings": "9600 8N1 (assumed); one file mixing layouts, as no single scale does",
        "Variant": "OL/UL lines with space-filled digits, 9-filled digits, +9999999E+19, a real value under UL",
        "Source": "[S13] (A&D balance overload values), [S14] (AD-4404 spaces, LO), [S16] (CAS), "
                  "[S17] (Excell spaces), [S18] (Dini UL); " + SYNTH_NOTE,
        "Why": "rule 5: every OL/UL line is an overload state frame with weight 0 and "
               "stable false whatever its body holds, net from NT; the AD-4404 LO header "
               "is not decoded (fact sheet 11)",
        "Odd": "layouts are mixed in one file on purpose; the LO line is the one error line",
    }


def cap_no_frame_lines(rng):
    """QT, TR and non-mass units: lines that are valid but give no frame (rule 6)."""
    s = Stream()

    def grams(counts):
        s.frame(line("ST,", field(counts, 2, 9), "  g"))

    for _ in range(3):
        grams(0)
    # Counting mode of an A&D balance: QT lines with PC [S13]; no frame, no error line.
    for _ in range(4):
        s.silent(line("QT,", field(123, 0, 9), " PC"))
    s.silent(line("QT,", field(-99999999, 0, 9), " PC"))
    # The same counts under a weight header: a non-mass unit, one error line each.
    s.bad(line("US,", field(124, 0, 9), " PC"))
    grams(0)
    # Percent, tael, troy ounce, carat, momme [S13]: not masses we convert (fact sheet 2.3).
    s.bad(line("ST,", field(1234, 1, 9), "  %"))
    s.bad(line("ST,", field(12345, 3, 9), " tl"))
    s.bad(line("ST,", field(1234, 3, 9), "ozt"))
    s.bad(line("ST,", field(61725, 3, 9), " ct"))
    s.bad(line("ST,", field(3291, 3, 9), "mom"))
    grams(12345)
    grams(12345)
    # AD-4404: a line carrying the tare value (header 2 TR) [S14]; no frame, no error line.
    s.frame(line("ST,GS,", field(85, 2, 8), "kg"))
    s.silent(line("ST,TR,", field(85, 2, 8), "kg"))
    s.frame(line("ST,NT,", field(2316, 2, 8), "kg"))
    # A QT line whose body does not parse is an error, not a silent line.
    s.bad(line("QT,+00001x3 PC"))
    for _ in range(3):
        grams(0)
    return s, {
        "Model emulated": "A&D EK-L balance in counting, percent and tael modes; AD-4404 tare line",
        "Line settings": "2400 7E1 (assumed)",
        "Variant": "A&D balance layout with units PC, %, tl, ozt, ct, mom; AD-4404 18-byte TR line",
        "Source": "units and the QT header from [S13]; TR header from [S14], [S16], [S17]; " + SYNTH_NOTE,
        "Why": "rule 6 and SPEC clarification C7: QT and TR lines are skipped silently, a "
               "weight header with a non-mass or ambiguous unit is one unsupported_unit "
               "error line, a body that does not parse is one bad_field error line",
        "Odd": "a real balance would not change mode this often; the units are the ones [S13] lists",
    }


def cap_noisy(rng):
    """Resynchronisation on a bad line (fact sheet 2.2, 9.2)."""
    s = Stream()

    def good(counts, h1="ST"):
        return line(h1, ",GS,", field(counts, 3, 8, pad=" "), "kg")

    # Leading half line: the capture starts in the middle of a frame.
    s.bad(good(1234)[9:])
    for _ in range(3):
        s.frame(good(1234))
    # A line of plain garbage.
    s.bad(line("@#x!?"))
    s.frame(good(1234))
    # Torn frame: the line breaks off and the next one starts without a terminator; the
    # last header on the piece wins (rule 2), the torn start is garbage.
    s.prefixed(good(1234)[:9], good(1234))
    s.frame(good(1234))
    # Torn frame ended by its terminator: no unit, the body does not parse.
    s.bad(good(1234)[:11] + CRLF)
    s.frame(good(1234))
    # Wrong-baud burst on its own line, then one glued to the front of a frame.
    s.bad(burst(rng, 17) + CRLF)
    s.frame(good(1234, "US"))
    s.prefixed(burst(rng, 9), good(1250, "US"))
    s.frame(good(1250))
    # Stray terminators make empty pieces only.
    s.noise(b"\r\r\n\n\n\r")
    s.frame(good(1250))
    # A long run of garbage before a frame on the same piece: only the last 64 bytes of a
    # piece can hold a frame, and this frame is within them.
    s.prefixed(bytes(rng.choice(b"abcdefgh0123456789 ,.") for _ in range(150)), good(1250))
    # A frame followed by trailing spaces beyond the 64-byte limit (C1): garbage.
    s.bad(good(1250)[:-2] + b" " * 50 + CRLF)
    # A line with a header but letters in the number.
    s.bad(line("ST,GS,+  1.2O4kg"))
    for _ in range(3):
        s.frame(good(1250))
    # The file ends in the middle of a line.
    s.truncated(good(1250)[:12])
    return s, {
        "Model emulated": "Chinese A&D-style indicator ([S19] layout) on a noisy line",
        "Line settings": "9600 8N1 (assumed), with bursts received at a wrong baud rate",
        "Variant": "ST/US, GS, space padding, 3 decimals, kg, CR LF",
        "Source": "line layout from [S19]; noise patterns from the fact sheet 9.2 (wrong-baud "
                  "bytes 0x80/0xF8/0xFF/0x00); " + SYNTH_NOTE,
        "Why": "resynchronisation and the error-line policy: leading half line, a garbage "
               "line, a torn frame glued to the next one, a torn frame ended by CR LF, a "
               "wrong-baud burst alone and one glued to a frame, stray CR/LF, a long garbage "
               "run before a frame, a line longer than 64 bytes, a bad digit, a truncated end",
        "Odd": "everything; good frames separate the faults so each is visible on its own",
    }


CAPTURES = [
    ("ad4404-kg-session", cap_ad4404_session),
    ("ad4404-tonne-cr", cap_ad4404_tonne_cr),
    ("ad-balance-units", cap_ad_balance),
    ("gc-comparator", cap_gc_comparator),
    ("cas-22-bytes", cap_cas_22),
    ("chinese-spaces", cap_chinese_spaces),
    ("dini-argeo", cap_dini_argeo),
    ("overload-states", cap_overload),
    ("no-frame-lines", cap_no_frame_lines),
    ("noisy-line", cap_noisy),
]

def main():
    write_captures(CAPTURES, SEED, SYNTH_DATE, SYNTH_NOTE, OUT_DIR, name_width=20)


if __name__ == "__main__":
    main()
