#!/usr/bin/env python3
"""Writes the synthesized `toledo-continuous` captures (Python 3, stdlib only).

What it is for
    We have no real scale on the bench, so every capture in ../captures/ is SYNTHESIZED
    from the frame layouts documented in ../SPEC.md and the sources it names. This script
    is the only way those .bin files come into being; it writes NAME.bin and NAME.header
    for every capture. Golden files are NOT written here: they come from
    tools/reference_decode.py (see tools/regen_goldens.sh), so that the generator (which
    knows what it meant to send) and the decoder (which only sees bytes) stay independent.

Determinism
    Every random choice comes from a random.Random seeded with SEED and the capture's
    name (so adding a capture does not change the others), and the header
    date is the constant SYNTH_DATE, so running the script twice writes identical files.

Expectations
    While building a stream the generator records, from its own intent, how many frames
    the decoder must accept and at which offsets error lines must start (per the
    error-line policy in SPEC.md section 8). It writes them into the header as
    `Expected frames` and `Expected error offsets`; tools/check_reference.py compares them
    with the goldens.

Usage
    python3 tools/make_captures.py      # (re)writes captures/*.bin and captures/*.header
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep the repository free of __pycache__
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "scripts", "protocol-tools"))

from capture_tools import RunStream, motion_path, write_captures  # noqa: E402

SEED = 20261125
SYNTH_DATE = "2026-11-25"

STX = 0x02
CR = 0x0D
LF = 0x0A

OUT_DIR = os.path.join(os.path.dirname(HERE), "captures")

SYNTH_NOTE = "synthesized by tools/make_captures.py (no real scale was connected)"


# ---------------------------------------------------------------- status words

COUNT_BY_BITS = {1: 0x08, 2: 0x10, 5: 0x18}


def word_a(code, count_by=1):
    """Mettler status word A: bit 5 set, bits 3-4 count-by, bits 0-2 decimal code."""
    assert 0 <= code <= 7
    return 0x20 | COUNT_BY_BITS[count_by] | code


def word_a_clone(code):
    """Liden LUW2001 "MT format" status A [S6]: bit 3 = 0, bit 4 = 1, bit 5 = 0, bit 6 = 1."""
    assert 0 <= code <= 7
    return 0x50 | code


def word_b(kg=True, net=False, neg=False, over=False, motion=False, powerup=False,
           bit5=True):
    b = 0x20 if bit5 else 0x00
    if net:
        b |= 0x01
    if neg:
        b |= 0x02
    if over:
        b |= 0x04
    if motion:
        b |= 0x08
    if kg:
        b |= 0x10
    if powerup:
        b |= 0x40
    return b


def word_c(unit_code=0, print_req=False, expanded=False, kbd_tare=False):
    assert 0 <= unit_code <= 7
    c = 0x20 | unit_code
    if print_req:
        c |= 0x08
    if expanded:
        c |= 0x10
    if kbd_tare:
        c |= 0x40
    return c


def word_c_clone(lb):
    """Liden status C [S6]: bits 4 and 5 constant 1, bit 0 = unit (kg 0, lb 1)."""
    return 0x30 | (1 if lb else 0)


def even_parity(byte):
    """Put even parity over bits 0-6 into bit 7."""
    low = byte & 0x7F
    return low | (0x80 if bin(low).count("1") % 2 else 0)


# ---------------------------------------------------------------- fields

def zeros(n):
    """Digit field with leading zeros (Mettler manual style, IND245 "8142" mode)."""
    assert 0 <= n < 10 ** 6
    return "%06d" % n


def spaces(n, decimals):
    """Digit field as the IND245 standard output builds it [S34]: the displayed number
    (at least one digit before the decimal point) with the point removed, right-aligned,
    padded with spaces."""
    assert 0 <= n < 10 ** 6
    shown = str(n).rjust(decimals + 1, "0")
    assert len(shown) <= 6
    return shown.rjust(6)


def checksum(body):
    return (-sum(body)) & 0x7F


def frame_body(a, b, c, weight, tare=None):
    assert len(weight) == 6 and (tare is None or len(tare) == 6)
    body = bytes([STX, a, b, c]) + weight.encode("ascii")
    if tare is not None:
        body += tare.encode("ascii")
    return body + bytes([CR])


class StxChecksum(Exception):
    """The frame's checksum would be 0x02, rule 7's special case."""


def build(a, b, c, weight, tare=None, chk=True, lf=False, chk_parity=False):
    """One frame. Raises StxChecksum when the checksum byte would equal STX: that case
    (rule 7) is wanted only where a capture builds it on purpose."""
    body = frame_body(a, b, c, weight, tare)
    out = body
    if chk:
        k = even_parity(checksum(body)) if chk_parity else checksum(body)
        if k == STX:
            raise StxChecksum()
        out += bytes([k])
    if lf:
        out += bytes([LF])
    return out


# ---------------------------------------------------------------- stream model

class Stream(RunStream):
    """A RunStream (frame(), bad()) with unsupported(): a structurally valid frame with
    unit code 4-7: one error line at its STX, and it ends any run before it."""

    unsupported = RunStream.lone_error


def nudged(make, value):
    """make(value), moving a motion reading by 1 count while its frame would have a
    checksum equal to STX (see build)."""
    while True:
        try:
            return make(value)
        except StxChecksum:
            value += 1


# ---------------------------------------------------------------- captures

def cap_wildcat(rng):
    s = Stream()
    a = word_a(5)                       # XXX.XXX kg, count-by 1: 0x2D

    def raw(v, tare=0, net=False, motion=False):
        return build(a, word_b(kg=True, net=net, neg=v < 0, motion=motion), word_c(),
                     zeros(abs(v)), zeros(tare), chk=True)

    def put(v, tare=0, net=False, motion=False):
        if motion:
            s.frame(nudged(lambda x: raw(x, tare, net, motion), v))
        else:
            s.frame(raw(v, tare, net, motion))

    # Item 1: 1.234 kg, gross.
    for _ in range(12):
        put(0)
    for v in motion_path(rng, 0, 1234, 10):
        put(v, motion=True)
    for _ in range(20):
        put(1234)
    for v in motion_path(rng, 1234, 0, 5):
        put(v, motion=True)
    put(-3, motion=True)                # lifting the item, a momentary negative reading
    for _ in range(12):
        put(0)
    # Item 2: a 0.150 kg bowl is tared, then 0.856 kg of produce is put in.
    for v in motion_path(rng, 0, 150, 5):
        put(v, motion=True)
    for _ in range(6):
        put(150)
    for _ in range(8):
        put(0, tare=150, net=True)
    for v in motion_path(rng, 0, 856, 8):
        put(v, tare=150, net=True, motion=True)
    for _ in range(20):
        put(856, tare=150, net=True)
    for v in motion_path(rng, 856, -150, 5):
        put(v, tare=150, net=True, motion=True)
    for _ in range(6):
        put(-150, tare=150, net=True)
    # Tare cleared, empty platter.
    put(0, motion=True)
    while s.frames < 150:
        put(0)
    return s, {
        "Model emulated": "METTLER TOLEDO Wildcat (standard continuous output)",
        "Line settings": "9600 7E1 (bytes as delivered by the UART, so bit 7 is clear everywhere)",
        "Variant": "full frames (weight + tare), checksum after CR, no LF; digit fields with leading zeros",
        "Source": "layout and checksum from [S1] (Wildcat technical manual, tables 6-8 to 6-11), "
                  "cross-checked with [S2], [S3]; " + SYNTH_NOTE,
        "Why": "the ordinary case: two weighings in kg with code 5 (XXX.XXX) - zero, rising in "
               "motion, 20 stable frames at 1.234 kg, back to zero; then a 0.150 kg bowl tared "
               "and 0.856 kg net weighed, unloaded to -0.150 kg net, tare cleared",
        "Odd": "nothing on purpose; one momentary negative gross reading (-0.003 kg) while unloading",
    }


def cap_cardinal(rng):
    s = Stream()
    a = word_a(4)                       # XXXX.XX kg, count-by 1: 0x2C

    def raw(v, motion=False, over=False):
        return build(a, word_b(kg=True, neg=v < 0, motion=motion, over=over), word_c(),
                     zeros(abs(v)), None, chk=False)

    def put(v, motion=False, over=False):
        s.frame(raw(v, motion, over))

    for _ in range(5):
        put(0)
    for v in motion_path(rng, 0, 1250, 6):
        put(v, motion=True)
    for _ in range(8):
        put(1250)
    for v in motion_path(rng, 1250, -4, 5):
        put(v, motion=True)
    for _ in range(4):
        put(-4)                         # zero drifted: stable -0.04 kg
    for _ in range(3):
        put(0)                          # after pressing ZERO
    for v in motion_path(rng, 0, 29870, 5):
        put(v, motion=True)
    for _ in range(3):
        put(29870)
    for v in (30415, 31290, 35012):
        put(v, motion=True, over=True)
    put(35012, over=True)
    for v in motion_path(rng, 35012, 0, 5):
        put(v, motion=True, over=v > 30000)
    for _ in range(6):
        put(0)
    return s, {
        "Model emulated": "Cardinal 225 indicator, Toledo output (Type=2), format \"SHORT no CKSUM\"",
        "Line settings": "9600 8N1 (assumed; [S4] leaves baud, parity and checksum to the installer)",
        "Variant": "short frames (no tare field), no checksum, no LF: frames back to back; "
                   "digit fields with leading zeros",
        "Source": "format choices from [S4] (Cardinal 225 manual, continuous output Type=2); "
                  "status words from [S1]; " + SYNTH_NOTE,
        "Why": "the short variant without checksum, where the only frame delimiter is the next "
               "STX; code 4 (XXXX.XX) kg; a stable negative reading (-0.04 kg) and an overload "
               "episode above a 300.00 kg capacity",
        "Odd": "no source shows the digits of an overloaded frame; we send the raw reading "
               "(e.g. 350.12 kg) with status B bit 2 set. The last frame is cut by end of file "
               "right after its CR, which rule 2 accepts",
    }


def find_checksum_value(make, start, wanted):
    v = start
    while True:
        if checksum(make(v)) == wanted:
            return v
        v += 1


def cap_8530d(rng):
    s = Stream()

    def put(a, b, c, weight, tare):
        s.frame(build(a, b, c, weight, tare, chk=True, lf=True))

    def put_motion(a, kg, c, v, decimals, tare):
        s.frame(nudged(lambda x: build(a, word_b(kg=kg, motion=True, neg=x < 0), c,
                                       spaces(abs(x), decimals), tare, chk=True, lf=True), v))

    # kg, code 5, leading spaces.
    a_kg = word_a(5)
    b_kg = word_b(kg=True)
    for _ in range(6):
        put(a_kg, b_kg, word_c(), spaces(0, 3), spaces(0, 3))
    for v in motion_path(rng, 0, 2500, 6):
        put_motion(a_kg, True, word_c(), v, 3, spaces(0, 3))
    for _ in range(8):
        put(a_kg, b_kg, word_c(), spaces(2500, 3), spaces(0, 3))
    # A tare field sent as six spaces (nothing displayed): spaces count as 0.
    put(a_kg, b_kg, word_c(), spaces(2500, 3), "      ")
    put(a_kg, b_kg, word_c(), spaces(2500, 3), "      ")
    for v in motion_path(rng, 2500, 0, 4):
        put_motion(a_kg, True, word_c(), v, 3, spaces(0, 3))
    for _ in range(3):
        put(a_kg, b_kg, word_c(), spaces(0, 3), spaces(0, 3))

    # lb (status B bit 4 = 0), code 4 (XXXX.XX).
    a_lb = word_a(4)
    b_lb = word_b(kg=False)
    for _ in range(4):
        put(a_lb, b_lb, word_c(), spaces(0, 2), spaces(0, 2))
    for v in motion_path(rng, 0, 551, 5):
        put_motion(a_lb, False, word_c(), v, 2, spaces(0, 2))
    for _ in range(6):
        put(a_lb, b_lb, word_c(), spaces(551, 2), spaces(0, 2))
    for _ in range(4):
        put(a_lb, word_b(kg=False, net=True), word_c(), spaces(518, 2), spaces(33, 2))
    # More produce, tare cleared: a gross reading whose checksum is 0x0A, so the byte after
    # CR equals LF. Rule 2 tests it as a checksum first; the real LF follows.
    v10 = find_checksum_value(
        lambda v: frame_body(a_lb, b_lb, word_c(), spaces(v, 2), spaces(0, 2)), 1000, LF)
    for v in motion_path(rng, 551, v10, 4):
        put_motion(a_lb, False, word_c(), v, 2, spaces(0, 2))
    for _ in range(3):
        put(a_lb, b_lb, word_c(), spaces(v10, 2), spaces(0, 2))

    # g (status C code 1), code 2 (XXXXXX), B bit 4 = 0 as the IND245 firmware sends it.
    for _ in range(3):
        put(word_a(2), word_b(kg=False), word_c(unit_code=1), spaces(2500, 0), spaces(0, 0))
    for _ in range(2):
        put(a_kg, b_kg, word_c(), spaces(0, 3), spaces(0, 3))
    return s, {
        "Model emulated": "Toledo 8530D (Chinese market) continuous output",
        "Line settings": "9600 7E1 (assumed; bytes as delivered, bit 7 clear)",
        "Variant": "full frames, checksum after CR, then LF; digit fields right-aligned with "
                   "leading spaces instead of zeros",
        "Source": "leading spaces from [S8] (8530D forum thread) and the IND245 firmware "
                  "FormatOutputWeightString [S34]; CR LF framing as allowed by [S7]; status "
                  "words from [S1]; " + SYNTH_NOTE,
        "Why": "space-padded digit fields (spaces count as 0), CR + checksum + LF framing, kg "
               "(code 5), lb (status B bit 4 = 0, code 4, with a net frame and 0.33 lb tare) "
               "and g (status C code 1, code 2)",
        "Odd": "two frames carry a tare field of six spaces; the %d stable frames of %d.%02d lb "
               "have checksum 0x0A, so the byte after CR equals LF and is read as the "
               "checksum, then the real LF is consumed as the terminator"
               % (3, v10 // 100, v10 % 100),
    }


def cap_liden(rng):
    s = Stream()

    def put(code, lb, v, tare=0, net=False, motion=False):
        s.frame(nudged(lambda x: build(
            word_a_clone(code), word_b(kg=True, net=net, neg=x < 0, motion=motion),
            word_c_clone(lb), zeros(abs(x)), zeros(tare), chk=True), v))

    # kg, code 5.
    for _ in range(5):
        put(5, False, 0)
    for v in motion_path(rng, 0, 2345, 6):
        put(5, False, v, motion=True)
    for _ in range(10):
        put(5, False, 2345)
    for v in motion_path(rng, 2345, 0, 4):
        put(5, False, v, motion=True)
    for _ in range(4):
        put(5, False, 0)
    # Unit switched to lb, code 4.
    for _ in range(4):
        put(4, True, 0)
    for v in motion_path(rng, 0, 517, 5):
        put(4, True, v, motion=True)
    for _ in range(10):
        put(4, True, 517)
    for _ in range(4):
        put(4, True, 467, tare=50, net=True)
    for _ in range(3):
        put(4, True, 0)
    return s, {
        "Model emulated": "Liden Weighing LUW2001 \"MT format\" continuous output (clone layout)",
        "Line settings": "9600 8N1 (assumed; not taken from [S6])",
        "Variant": "full frames, checksum after CR, no LF; digit fields with leading zeros; "
                   "clone status layout",
        "Source": "clone status words from [S6] (Liden LUW2001/LBW manual, appendix 1); "
                  "frame layout and checksum from [S1]; " + SYNTH_NOTE,
        "Why": "the clone layout of rule 3: status A bit 5 = 0 and bit 6 = 1 (A = 0x54/0x55), "
               "unit in status C bit 0 (0 kg, 1 lb); a kg weighing at 2.345 kg then an lb "
               "weighing at 5.17 lb with a 0.50 lb net frame",
        "Odd": "read with the Mettler layout these frames would mean something else: status B "
               "bit 4 is constant 1 (would say kg) and status C = 0x31 would be unit code 1 "
               "(grams). Whether the LUW2001 sends a checksum is not settled by the fact "
               "sheet; this capture includes one",
    }


def cap_noisy(rng):
    s = Stream()
    a = word_a(5)

    def raw(v, tare=0, net=False, motion=False, unit_code=0):
        return build(a, word_b(kg=True, net=net, neg=v < 0, motion=motion),
                     word_c(unit_code=unit_code), zeros(abs(v)), zeros(tare), chk=True)

    def good(v, **kw):
        s.frame(raw(v, **kw))

    # 1. The file starts in the middle of a frame (its last 10 bytes).
    s.bad(raw(0)[-10:])
    for _ in range(6):
        good(0)
    for v in (412, 1020, 1198):
        s.frame(nudged(lambda x: raw(x, motion=True), v))
    # 2. Injected garbage between two frames.
    s.bad(b"\x11\x13~noise\x00")
    for _ in range(4):
        good(1234)
    # 3. A frame with a corrupted checksum byte.
    bad = bytearray(raw(1234))
    bad[-1] ^= 0x01
    assert bad[-1] not in (STX, LF)
    s.bad(bytes(bad))
    for _ in range(4):
        good(1234)
    # 4. A torn frame: the first 9 bytes of a frame, then a whole new frame.
    s.bad(raw(1234)[:9])
    for _ in range(3):
        good(1234)
    # 5. A burst as seen at a wrong baud rate (no 0x02 in it).
    junk = bytes(rng.choice((0xFF, 0x00, 0x80, 0xF8, 0xFE, 0xE0, 0x9C, 0x86))
                 for _ in range(40))
    assert STX not in junk
    s.bad(junk)
    for _ in range(4):
        good(1234)
    # 6. A frame with status C unit code 5 (pennyweight): no frame, one error line.
    s.unsupported(raw(1234, unit_code=5))
    for _ in range(3):
        good(1234)
    # 7. A frame whose checksum equals STX (rule 7): accepted unchecked, and the checksum
    #    byte then starts a misaligned candidate that is rejected.
    # (built by hand: build() refuses a checksum equal to STX)
    v2 = find_checksum_value(lambda v: frame_body(a, word_b(kg=True, motion=True), word_c(),
                                                  zeros(v), zeros(0)), 600, STX)
    body = frame_body(a, word_b(kg=True, motion=True), word_c(), zeros(v2), zeros(0))
    s.frame(body)
    s.bad(bytes([STX]))
    for _ in range(3):
        good(856)
    # 8. Garbage that itself holds an STX: the first rejected candidate names the run.
    s.bad(bytes([STX, 0x30, 0x30]))
    for _ in range(3):
        good(0)
    # 9. The file ends in the middle of a frame.
    s.bad(raw(0)[:11])
    return s, {
        "Model emulated": "METTLER TOLEDO Wildcat-style output on a noisy line",
        "Line settings": "9600 8N1 (assumed), with a burst received at a wrong baud rate",
        "Variant": "full frames, checksum after CR, no LF; digit fields with leading zeros; kg code 5",
        "Source": "frame layout from [S1]; noise patterns from the fact sheet section 9.2 "
                  "(wrong-baud bytes 0xFF/0x00/0x80/0xF8); " + SYNTH_NOTE,
        "Why": "resynchronisation and the error-line policy: leading half frame, injected "
               "garbage, a corrupted checksum, a torn frame, a wrong-baud burst, an unsupported "
               "unit code 5 frame, a frame whose checksum is 0x02 (rule 7), garbage holding a "
               "stray STX, and a truncated frame at end of file",
        "Odd": "everything; every fault is separated from the next by good frames, so each "
               "yields exactly one error line. The rule-7 frame (%d.%03d kg, in motion) is "
               "accepted unchecked and its checksum byte 0x02 is reported as an error line "
               "of its own" % (v2 // 1000, v2 % 1000),
    }


def cap_ind245(rng):
    s = Stream()

    def raw(a, b, c, w, t):
        return build(a, b, c, w, t, chk=True)

    def put(a, b, c, w, t):
        s.frame(raw(a, b, c, w, t))

    kg = word_b(kg=True)
    lb = word_b(kg=False)
    other = word_b(kg=False)            # g, t, oz: B bit 4 is 0 (IND245 buildStatusWord)
    # Power-up, zero not yet captured (B bit 6).
    for _ in range(3):
        put(word_a(5), word_b(kg=True, powerup=True, motion=True), word_c(),
            spaces(0, 3), spaces(0, 3))
    for _ in range(3):
        put(word_a(5), kg, word_c(), spaces(0, 3), spaces(0, 3))
    # Dummy zeros: code 1 (increment 10, then 20) and code 0 (increment 100); code 2.
    for _ in range(3):
        put(word_a(1, 1), kg, word_c(), spaces(12340, 0), spaces(0, 0))
    for _ in range(2):
        put(word_a(1, 2), kg, word_c(), spaces(12360, 0), spaces(0, 0))
    for _ in range(2):
        put(word_a(0, 1), kg, word_c(), spaces(123400, 0), spaces(0, 0))
    for _ in range(2):
        put(word_a(2, 1), kg, word_c(), spaces(1234, 0), spaces(0, 0))
    # Tonnes (C code 2), code 4.
    for _ in range(2):
        put(word_a(4), other, word_c(unit_code=2), spaces(1234, 2), spaces(0, 2))
    # Ounces (C code 3): 35.2 oz (code 3) and 1.00 oz (code 4).
    for _ in range(2):
        put(word_a(3), other, word_c(unit_code=3), spaces(352, 1), spaces(0, 1))
    put(word_a(4), other, word_c(unit_code=3), spaces(100, 2), spaces(0, 2))
    # Pounds: 0.50 lb (code 4), 0.5000 lb (code 6), and 50.000 / 150.000 lb (code 5),
    # whose milligram values end in exactly .5 (rounding half away from zero).
    put(word_a(4), lb, word_c(), spaces(50, 2), spaces(0, 2))
    put(word_a(6), lb, word_c(), spaces(5000, 4), spaces(0, 4))
    put(word_a(5), lb, word_c(), spaces(50000, 3), spaces(0, 3))
    put(word_a(5), word_b(kg=False, neg=True), word_c(), spaces(50000, 3), spaces(0, 3))
    put(word_a(5), word_b(kg=False, net=True, neg=True), word_c(), spaces(150000, 3),
        spaces(150000, 3))
    # Grams (C code 1), code 3: 500.0 g.
    put(word_a(3), other, word_c(unit_code=1), spaces(5000, 1), spaces(0, 1))
    # Short ton (C code 6) twice and newton (C code 7): no frame, one error line each.
    s.unsupported(raw(word_a(4), other, word_c(unit_code=6), spaces(136, 2), spaces(0, 2)))
    s.unsupported(raw(word_a(4), other, word_c(unit_code=6), spaces(136, 2), spaces(0, 2)))
    s.unsupported(raw(word_a(2), other, word_c(unit_code=7), spaces(12102, 0), spaces(0, 0)))
    # Print request (C bit 3) and expanded display (C bit 4) on kg frames.
    put(word_a(5), kg, word_c(print_req=True), spaces(1234, 3), spaces(0, 3))
    put(word_a(6), kg, word_c(expanded=True), spaces(12345, 4), spaces(0, 4))
    # Dynamic (animal) weighing in progress: the firmware replaces the weight digits with
    # '*' and the tare digits with '0' (buildAnimalTotalAndTare [S34]). Not digits, so
    # rule 1 rejects all three frames: one error line.
    for _ in range(3):
        w = "".join(" " if ch == " " else "*" for ch in spaces(48250, 3))
        s.bad(raw(word_a(5), word_b(kg=True, motion=True), word_c(), w, spaces(0, 3)))
    for _ in range(3):
        put(word_a(5), kg, word_c(), spaces(0, 3), spaces(0, 3))
    return s, {
        "Model emulated": "METTLER TOLEDO IND245, standard continuous output (not the 8142 mode)",
        "Line settings": "9600 8N1 (assumed)",
        "Variant": "full frames, checksum after CR, no LF; digit fields right-aligned with spaces",
        "Source": "status words, unit codes, decimal codes and field formatting as built by the "
                  "IND245 firmware [S34] (buildStatusWord, buildContinuousOutputWordA, "
                  "FormatOutputWeightString, buildAnimalTotalAndTare); unit codes 4-7 from "
                  "[S35]; " + SYNTH_NOTE,
        "Why": "every unit and decimal code: power-up flag (B bit 6), dummy-zero codes 0 and 1 "
               "(12340 kg sent as ' 12340' with code 1), code 2, t, oz, lb with exact .5 mg "
               "rounding (50.000 lb = 22679618.5 mg, positive and negative), g, print request "
               "and expanded-display bits, short ton and newton (unsupported: one error line "
               "each), and animal-weighing frames with '*' in the weight field",
        "Odd": "B bit 4 is 0 for g, t and oz frames, as the firmware writes it; the three "
               "'*' frames are rejected by rule 1 and reported as one error line",
    }


def cap_parity(rng):
    s = Stream()
    a = word_a(5)

    def put(v, tare=0, net=False, motion=False):
        # With parity in bit 7 the checksum byte is never exactly 0x02 (0x02 -> 0x82).
        ap = even_parity(a)
        bp = even_parity(word_b(kg=True, net=net, neg=v < 0, motion=motion))
        cp = even_parity(word_c())
        s.frame(build(ap, bp, cp, zeros(abs(v)), zeros(tare), chk=True, chk_parity=True))

    for _ in range(3):
        put(0)
    for v in (700, 1190, 1241):
        put(v, motion=True)
    for _ in range(5):
        put(1234)
    for _ in range(3):
        put(0, tare=150, net=True)
    for _ in range(3):
        put(-150, tare=150, net=True)
    for _ in range(3):
        put(0)
    return s, {
        "Model emulated": "hypothetical Toledo-format emitter that fills bit 7 of the status "
                          "bytes and of the checksum with even parity",
        "Line settings": "9600 8N1 at the host",
        "Variant": "full frames, checksum after CR, no LF; digit fields with leading zeros",
        "Source": "[S1] and [S7] reserve bit 7 of the status words for parity; layout from "
                  "[S1]; " + SYNTH_NOTE,
        "Why": "pins the rule that bit 7 of the status bytes is ignored and that the byte "
               "after CR is compared as (b & 0x7F); without that rule frames with motion or "
               "net status (e.g. B = 0x38 -> 0xB8) would decode wrongly or be dropped",
        "Odd": "no device we know of is confirmed to do this; STX, digits and CR keep bit 7 clear",
    }


def cap_ricelake(rng):
    s = Stream()
    a = word_a(4)

    def raw(v, tare=0, net=False, motion=False):
        return build(a, word_b(kg=False, net=net, neg=v < 0, motion=motion), word_c(),
                     zeros(abs(v)), zeros(tare), chk=False, lf=True)

    def put(v, **kw):
        s.frame(raw(v, **kw))

    for _ in range(4):
        put(0)
    for v in motion_path(rng, 0, 1250, 5):
        put(v, motion=True)
    for _ in range(6):
        put(1250)
    # A frame followed by a stray NUL after its LF: without a checksum it cannot be told
    # from a corrupt frame, so rule 2 rejects it (one error line, merged with the NUL).
    victim = raw(1250)
    assert checksum(victim[:-1]) != LF
    s.bad(victim + b"\x00")
    for _ in range(4):
        put(1250)
    for _ in range(3):
        put(1000, tare=250, net=True)
    for v in motion_path(rng, 1000, 0, 4):
        put(v, tare=250, net=True, motion=True)
    for _ in range(4):
        put(0)
    return s, {
        "Model emulated": "Rice Lake 520, stream format \"Toledo 8142\" ending in <EOL>",
        "Line settings": "9600 8N1 (assumed)",
        "Variant": "full frames, no checksum, CR LF; digit fields with leading zeros; lb code 4",
        "Source": "stream format from [S7] (Rice Lake 520 manual 13.8.1); status words from "
                  "[S1]; " + SYNTH_NOTE,
        "Why": "the LF branch of rule 2: a frame without checksum ended by CR LF is accepted "
               "only when the LF is followed by STX or end of input; the last frame ends the "
               "file after its LF",
        "Odd": "one frame is followed by a stray 0x00 after its LF and is therefore rejected "
               "(error line at its STX); the frames are in lb (status B bit 4 = 0)",
    }


def cap_fairbanks(rng):
    s = Stream()
    a = word_a(4)

    def put(v, kg=True, tare=0, net=False, motion=False, over=False, kbd=False):
        b = word_b(kg=kg, net=net, neg=v < 0, motion=motion, over=over, bit5=False)
        s.frame(build(a, b, word_c(kbd_tare=kbd), zeros(abs(v)), zeros(tare), chk=True))

    for _ in range(3):
        put(0)                                  # B = 0x10 (DLE)
    for _ in range(3):
        put(1550)
    for _ in range(3):
        put(0, tare=120, net=True, kbd=True)    # keyboard tare: C = 0x60
    for _ in range(3):
        put(980, tare=120, net=True, kbd=True)
    for _ in range(2):
        put(0, kg=False)                        # B = 0x00 (NUL)
    for _ in range(3):
        put(-12, kg=False)                      # B = 0x02, the same byte as STX
    put(-40, kg=False, motion=True)             # B = 0x0A, the same byte as LF
    put(60510, kg=False, net=True, motion=True, over=True)  # B = 0x0D, the same byte as CR
    for _ in range(3):
        put(0, kg=False)
    return s, {
        "Model emulated": "Fairbanks FB3000 / FB2550 / FB6002, \"Toledo data format\"",
        "Line settings": "9600 8N1 (assumed)",
        "Variant": "full frames, checksum after CR, no LF; digit fields with leading zeros; code 4",
        "Source": "status B bit 5 = 0 and status C bit 6 keyboard tare from [S5]; layout and "
                  "checksum from [S1]; " + SYNTH_NOTE,
        "Why": "status B without bit 5 falls into the control-character range: B = 0x10, 0x00, "
               "0x02 (equal to STX), 0x0A (equal to LF) and 0x0D (equal to CR) all appear as "
               "status bytes and must not be taken as framing; keyboard tare in C bit 6",
        "Odd": "whether Fairbanks indicators send the checksum byte is our choice here (sent)",
    }


CAPTURES = [
    ("wildcat-kg-checksum", cap_wildcat),
    ("cardinal-short-nochecksum", cap_cardinal),
    ("8530d-spaces-lf", cap_8530d),
    ("liden-clone", cap_liden),
    ("noisy-line", cap_noisy),
    ("ind245-units", cap_ind245),
    ("status-parity-bit7", cap_parity),
    ("ricelake-crlf-nochecksum", cap_ricelake),
    ("fairbanks-status", cap_fairbanks),
]

def main():
    write_captures(CAPTURES, SEED, SYNTH_DATE, SYNTH_NOTE, OUT_DIR, name_width=28)


if __name__ == "__main__":
    main()
