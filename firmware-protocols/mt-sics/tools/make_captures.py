#!/usr/bin/env python3
"""Writes the synthesized `mt-sics` captures (Python 3, stdlib only).

What it is for
    We have no real balance on the bench, so every capture in ../captures/ is SYNTHESIZED
    from the reply layouts documented in ../SPEC.md and the sources it names. This script
    is the only way those .bin files come into being; it writes NAME.bin and NAME.header
    for every capture. Golden files are NOT written here: they come from
    tools/reference_decode.py (see tools/regen_goldens.sh), so that the generator (which
    knows what it meant to send) and the decoder (which only sees bytes) stay independent.

    MT-SICS is polled: a capture holds the balance's replies only, never the host's
    commands (fact sheet 2.5). Where a capture needs the command that caused a reply,
    the header says which one.

Determinism
    Every random choice comes from a random.Random seeded with SEED and the capture's
    name (so adding a capture does not change the others), and the header date is the
    constant SYNTH_DATE, so running the script twice writes identical files.

Expectations
    While building a stream the generator records, from its own intent, how many frames
    the decoder must accept and at which offsets error lines must start (per the
    error-line policy in SPEC.md section 11). It writes them into the header as
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

from capture_tools import motion_path, write_captures  # noqa: E402

SEED = 20261202
SYNTH_DATE = "2026-12-02"

CRLF = b"\r\n"

OUT_DIR = os.path.join(os.path.dirname(HERE), "captures")

SYNTH_NOTE = "synthesized by tools/make_captures.py (no real balance was connected)"

SERIAL = "1234567890"   # what our I4 replies carry; any printable text would do


# ---------------------------------------------------------------- reply text

def value_text(count, decimals):
    """`count` steps of the last displayed digit as the balance prints it, e.g.
    (10000, 2) -> "100.00", (-82, 4) -> "-0.0082", (5, 0) -> "5"."""
    digits = str(abs(count)).rjust(decimals + 1, "0")
    text = digits[:-decimals] + "." + digits[-decimals:] if decimals else digits
    return ("-" if count < 0 else "") + text


def weight_line(status, count, decimals, unit, ident="S", eol=CRLF, width=10):
    """`ID SP status SP value-field SP unit EOL` [S11]; the value is right-aligned in a
    field of `width` characters (10 on every balance [S11] shows)."""
    text = value_text(count, decimals)
    assert len(text) <= width
    return ("%s %s %s %s" % (ident, status, text.rjust(width), unit)).encode("ascii") + eol


def text_line(text, eol=CRLF):
    return text.encode("ascii") + eol


# ---------------------------------------------------------------- stream model

class Stream:
    """Bytes of one capture plus what the decoder must make of them.

    frame(): a whole line that is one frame.
    garbage_frame(): bytes without LF, then a whole frame line: they form one line whose
           frame is preceded by garbage, so one error line at the line's first byte,
           then the frame.
    silent(): a whole line the decoder skips (known reply, empty line).
    bad(): a whole line that is one error line at its first byte.
    truncated(): bytes without LF at the end of the file: one error line.
    """

    def __init__(self):
        self.data = bytearray()
        self.frames = 0
        self.error_offsets = []
        self.ended = False

    def _put(self, raw, whole_line=True):
        assert not self.ended
        if whole_line:
            assert raw.endswith(b"\n") and raw.count(b"\n") == 1, raw
        else:
            assert b"\n" not in raw, raw
        self.data += raw

    def frame(self, line):
        self._put(line)
        self.frames += 1

    def garbage_frame(self, prefix, line):
        assert prefix
        self.error_offsets.append(len(self.data))
        self._put(prefix, whole_line=False)
        self._put(line)
        self.frames += 1

    def silent(self, line):
        self._put(line)

    def bad(self, line):
        self.error_offsets.append(len(self.data))
        self._put(line)

    def truncated(self, raw):
        assert raw
        self.error_offsets.append(len(self.data))
        self._put(raw, whole_line=False)
        self.ended = True


def session(s, rng, item, decimals, unit, empty=5, rising=5, stable=8, falling=4,
            final_empty=True):
    """One weighing answered to SI polls: empty pan, load rising in motion (S D), stable
    hold (S S), removal in motion, empty pan again."""
    for _ in range(empty):
        s.frame(weight_line("S", 0, decimals, unit))
    for v in motion_path(rng, 0, item, rising):
        s.frame(weight_line("D", v, decimals, unit))
    for _ in range(stable):
        s.frame(weight_line("S", item, decimals, unit))
    for v in motion_path(rng, item, 0, falling):
        s.frame(weight_line("D", v, decimals, unit))
    if final_empty:
        for _ in range(empty):
            s.frame(weight_line("S", 0, decimals, unit))


# ---------------------------------------------------------------- captures

def cap_newclassic(rng):
    s = Stream()
    session(s, rng, 10000, 2, "g")          # 100.00 g, the [S11] example
    session(s, rng, 25037, 2, "g")          # 250.37 g
    # Zero drifted after the pan was emptied: a stable -0.01 g.
    for _ in range(3):
        s.frame(weight_line("S", -1, 2, "g"))
    for _ in range(3):
        s.frame(weight_line("S", 0, 2, "g"))
    return s, {
        "Model emulated": "METTLER TOLEDO New Classic balance, MT-SICS, weighing in g with 2 decimals",
        "Line settings": "9600 8N1, CR LF, no handshake (the [S12] libraries' setting)",
        "Variant": "replies to SI polls only; value right-aligned in 10 characters, one space, unit",
        "Source": "reply layout and the line `S S     100.00 g` from [S11] (New Classic operating "
                  "instructions, MT-SICS reference manual); " + SYNTH_NOTE,
        "Why": "the ordinary case in the common model's own format: empty pan, load rising in "
               "motion (S D), stable at 100.00 g (S S), removal, empty; a second item at "
               "250.37 g; a stable -0.01 g after the pan was emptied",
        "Odd": "nothing on purpose; the host polled SI about 7 times a second",
    }


def cap_kg_bench(rng):
    s = Stream()
    # The host alternates S (stable weight) and SI (weight now). While the load moves the
    # balance answers S with `S I` (no stable value in time), which gives no frame.
    def poll_pair(status, v):
        if status == "S":
            s.frame(weight_line("S", v, 3, "kg"))       # reply to S
        else:
            s.silent(text_line("S I"))                   # reply to S: not stable
        s.frame(weight_line(status, v, 3, "kg"))         # reply to SI

    for _ in range(4):
        poll_pair("S", 0)
    for v in motion_path(rng, 0, 1234, 6):
        poll_pair("D", v)
    for _ in range(8):
        poll_pair("S", 1234)
    for v in motion_path(rng, 1234, 0, 4):
        poll_pair("D", v)
    poll_pair("D", -2)                                   # lifting: a momentary negative
    for _ in range(4):
        poll_pair("S", 0)
    for v in motion_path(rng, 0, 15872, 5):
        poll_pair("D", v)
    for _ in range(6):
        poll_pair("S", 15872)
    for v in motion_path(rng, 15872, 0, 3):
        poll_pair("D", v)
    for _ in range(4):
        poll_pair("S", 0)
    return s, {
        "Model emulated": "METTLER TOLEDO MT-SICS bench balance weighing in kg with 3 decimals",
        "Line settings": "9600 8N1, CR LF (assumed, as [S12])",
        "Variant": "replies to alternating S and SI polls; kg, 3 decimals, 10-character value field",
        "Source": "commands S and SI and their replies S S / S D / S I from [S11]; " + SYNTH_NOTE,
        "Why": "the kg session Stallbox expects at a market stall: 1.234 kg and 15.872 kg "
               "weighed, S D while moving, S S when stable, and the `S I` reply to S while "
               "the load moves (a valid reply that carries no weighing: no frame, no error)",
        "Odd": "one momentary negative reading (-0.002 kg, S D) while the item is lifted",
    }


def cap_range(rng):
    s = Stream()
    for _ in range(3):
        s.frame(weight_line("S", 0, 2, "kg"))
    for v in motion_path(rng, 0, 598, 4):
        s.frame(weight_line("D", v, 2, "kg"))
    for _ in range(3):
        s.frame(weight_line("S", 598, 2, "kg"))
    # More load than the 6.20 kg capacity: the balance answers SI with `S +`.
    for _ in range(4):
        s.frame(text_line("S +"))
    s.frame(text_line("S +   "))                         # trailing spaces are allowed
    for v in motion_path(rng, 598, 0, 3):
        s.frame(weight_line("D", v, 2, "kg"))
    for _ in range(3):
        s.frame(weight_line("S", 0, 2, "kg"))
    # The weighing pan lifted off: below the zero range, `S -`.
    for _ in range(4):
        s.frame(text_line("S -"))
    s.frame(text_line("S - "))
    # Stable negative readings inside the range (pan put back with less than zero load).
    for _ in range(3):
        s.frame(weight_line("S", -3, 2, "kg"))
    for _ in range(3):
        s.frame(weight_line("S", 0, 2, "kg"))
    return s, {
        "Model emulated": "METTLER TOLEDO MT-SICS balance, 6.2 kg capacity, kg with 2 decimals",
        "Line settings": "9600 8N1, CR LF (assumed)",
        "Variant": "replies to SI polls; out-of-range replies `S +` and `S -`",
        "Source": "weight-reply statuses `+` (overload range) and `-` (underload range) from "
                  "[S11]; frame meaning from the fact sheet 2.1 and rule 5.5.3; " + SYNTH_NOTE,
        "Why": "state frames of rule 3: `S +` when overloaded and `S -` below the zero range "
               "become frames with weight_mg 0, stable false, overload true; two of them carry "
               "trailing spaces; a stable -0.03 kg in range",
        "Odd": "no source says how long a balance stays in S + / S - while settling; the "
               "sequence is ours",
    }


def cap_analytical(rng):
    s = Stream()
    # Grams with 4 decimals (a 0.1 mg balance): the [S12] reading -0.0082 g and others.
    for _ in range(3):
        s.frame(weight_line("S", 0, 4, "g"))
    for _ in range(3):
        s.frame(weight_line("S", -82, 4, "g"))      # -8.2 mg -> -8
    s.frame(weight_line("D", -85, 4, "g"))          # -8.5 mg -> -9 (half away from zero)
    s.frame(weight_line("D", 5, 4, "g"))            # 0.5 mg -> 1
    s.frame(weight_line("D", -5, 4, "g"))           # -0.5 mg -> -1
    s.frame(weight_line("D", 4, 4, "g"))            # 0.4 mg -> 0
    for v in motion_path(rng, 0, 1234567, 5):
        s.frame(weight_line("D", v, 4, "g"))
    for _ in range(5):
        s.frame(weight_line("S", 1234567, 4, "g"))  # 123.4567 g -> 123456.7 mg -> 123457
    # Grams with 5 decimals (a 0.01 mg balance).
    for _ in range(3):
        s.frame(weight_line("S", 5, 5, "g"))        # 0.00005 g -> 0.05 mg -> 0
    for _ in range(3):
        s.frame(weight_line("S", -149, 5, "g"))     # -0.00149 g -> -1.49 mg -> -1
    for _ in range(3):
        s.frame(weight_line("S", 5215050, 5, "g"))  # 52.15050 g -> 52150.5 mg -> 52151
    # Milligrams (unit switched to mg on the balance).
    for _ in range(3):
        s.frame(weight_line("S", 1234567, 4, "mg"))  # 123.4567 mg -> 123
    for _ in range(2):
        s.frame(weight_line("S", 125, 1, "mg"))      # 12.5 mg -> 13
    for _ in range(2):
        s.frame(weight_line("D", -125, 1, "mg"))     # -12.5 mg -> -13
    for _ in range(2):
        s.frame(weight_line("S", -82, 1, "mg"))      # -8.2 mg -> -8
    for _ in range(3):
        s.frame(weight_line("S", 0, 4, "mg"))
    return s, {
        "Model emulated": "METTLER TOLEDO analytical balance (0.1 mg and 0.01 mg readability), "
                          "MT-SICS, g and mg",
        "Line settings": "9600 8N1, CR LF (assumed)",
        "Variant": "replies to SI polls; g with 4 and 5 decimals, mg with 1 and 4 decimals",
        "Source": "negative stable reading -0.0082 g from the Janelia driver README [S12]; "
                  "units g and mg from the fact sheet 2.3; layout from [S11]; " + SYNTH_NOTE,
        "Why": "exact conversion with rounding below 1 mg, halves away from zero, on both "
               "signs: -0.0082 g -> -8, -0.0085 g -> -9, 0.0005 g -> 1, -0.0005 g -> -1, "
               "0.0004 g -> 0, 0.00005 g -> 0, 52.15050 g -> 52151, 123.4567 mg -> 123, "
               "12.5 mg -> 13, -12.5 mg -> -13",
        "Odd": "a 0.01 mg balance is not a market-stall device; it is here to pin the rounding",
    }


def cap_lb_oz(rng):
    s = Stream()
    for _ in range(3):
        s.frame(weight_line("S", 0, 2, "lb"))
    for v in motion_path(rng, 0, 50, 3):
        s.frame(weight_line("D", v, 2, "lb"))
    for _ in range(4):
        s.frame(weight_line("S", 50, 2, "lb"))      # 0.50 lb -> 226796.185 -> 226796
    for _ in range(2):
        s.frame(weight_line("S", 50000, 3, "lb"))   # 50.000 lb -> 22679618.5 -> 22679619
    for _ in range(2):
        s.frame(weight_line("S", -25, 2, "lb"))     # -0.25 lb -> -113398.0925 -> -113398
    for _ in range(3):
        s.frame(weight_line("S", 0, 2, "oz"))
    for v in motion_path(rng, 0, 100, 3):
        s.frame(weight_line("D", v, 2, "oz"))
    for _ in range(4):
        s.frame(weight_line("S", 100, 2, "oz"))     # 1.00 oz -> 28349.523125 -> 28350
    for _ in range(2):
        s.frame(weight_line("S", 3527, 2, "oz"))    # 35.27 oz -> 999887.680... -> 999888
    for _ in range(2):
        s.frame(weight_line("D", -4, 1, "oz"))      # -0.4 oz -> -11339.809... -> -11340
    # Units that are not masses we convert (rule 4): one error line each.
    s.bad(weight_line("S", 12, 0, "PCS"))           # counting application
    s.bad(weight_line("S", 998, 1, "pct"))  # percent weighing
    s.bad(weight_line("S", 2505, 3, "ct"))          # carat: a mass, but not in the table
    s.bad(weight_line("S", 1000, 3, "KG"))          # units are case-sensitive
    for _ in range(3):
        s.frame(weight_line("S", 0, 2, "oz"))
    return s, {
        "Model emulated": "METTLER TOLEDO MT-SICS balance switched to lb, then oz",
        "Line settings": "9600 8N1, CR LF (assumed)",
        "Variant": "replies to SI polls; lb with 2 and 3 decimals, oz with 1 and 2 decimals; "
                   "four replies in units outside the table",
        "Source": "units lb and oz and their exact factors from the fact sheet 2.3 and rule "
                  "5.5.4; layout from [S11]; " + SYNTH_NOTE,
        "Why": "rounded conversions of the non-metric units (0.50 lb -> 226796, 50.000 lb -> "
               "22679619 with an exact .5, -0.25 lb -> -113398, 1.00 oz -> 28350, 35.27 oz -> "
               "999888, -0.4 oz -> -11340) and rule 4: `PCS`, `pct`, `ct` and upper-case `KG` "
               "give one unsupported_unit error line each and no frame",
        "Odd": "the unit strings PCS and pct are our guesses at what counting and percent "
               "modes print; the sheet only says non-mass units give no frame",
    }


def cap_interleaved(rng):
    s = Stream()
    # What a balance answers during Stallbox's detection (ProbeRequest.standard): `W` and
    # then CR LF -> ES; `SI` -> a weight; `Q` -> ES; `?WT` -> ES.
    s.silent(text_line("ES"))
    s.frame(weight_line("S", 0, 3, "kg"))
    s.silent(text_line("ES"))
    s.silent(text_line("ES"))
    # Polling, with the operator pressing keys that the host mirrors as commands.
    for _ in range(3):
        s.frame(weight_line("S", 0, 3, "kg"))
    s.silent(text_line("Z A"))                              # Z: zeroed
    for _ in range(2):
        s.frame(weight_line("S", 0, 3, "kg"))
    for v in motion_path(rng, 0, 150, 3):
        s.frame(weight_line("D", v, 3, "kg"))
    s.silent(text_line("Z I"))                              # Z while moving: not now
    s.silent(text_line("T I"))                              # T while moving: not now
    for _ in range(2):
        s.frame(weight_line("S", 150, 3, "kg"))
    s.silent(weight_line("S", 150, 3, "kg", ident="T"))     # T: tare 0.150 kg stored
    for _ in range(2):
        s.frame(weight_line("S", 0, 3, "kg"))                # net zero, net is not shown
    for v in motion_path(rng, 0, 856, 4):
        s.frame(weight_line("D", v, 3, "kg"))
    for _ in range(4):
        s.frame(weight_line("S", 856, 3, "kg"))
    s.silent(text_line("EL"))                                # a command that cannot run now
    s.silent(text_line("ET"))                                # a command received damaged
    s.silent(text_line("ES"))                                # an unknown command
    for _ in range(2):
        s.frame(weight_line("S", 856, 3, "kg"))
    s.silent(text_line("Z +"))                               # zero range exceeded upwards
    s.silent(text_line("Z -"))                               # and downwards
    s.silent(text_line("T +"))
    s.silent(text_line("T -"))
    s.silent(text_line('I4 A "%s"' % SERIAL))                # @: reset, serial number
    s.silent(text_line(""))                                  # an empty line
    for _ in range(3):
        s.frame(weight_line("S", 0, 3, "kg"))
    s.silent(text_line("S I"))
    s.frame(weight_line("S", 0, 3, "kg"))
    return s, {
        "Model emulated": "METTLER TOLEDO MT-SICS balance in kg with 3 decimals, answering a "
                          "host that also sends Z, T, @ and unknown commands",
        "Line settings": "9600 8N1, CR LF (assumed)",
        "Variant": "replies only: weight replies interleaved with Z A, Z I, Z +, Z -, T S, T I, "
                   "T +, T -, ES, ET, EL, I4 A \"...\", S I and an empty line",
        "Source": "commands and replies from [S11] and the fact sheet 5.2; the detection "
                  "requests of Stallbox (fact sheet 9.2, ProbeRequest.standard); " + SYNTH_NOTE,
        "Why": "rule 5: valid replies that carry no weighing produce no frame and, per the "
               "error-line policy, no error line either; only the S S / S D replies are "
               "frames. It begins with what a balance answers to Stallbox's probes: ES to "
               "`W` (ended by the probe's leading CR LF), a weight to `SI`, ES to `Q` and to "
               "`?WT`",
        "Odd": "the tare reply `T S      0.150 kg` has the layout of a weight reply but is "
               "not a frame (its ID is T); the net readings after it decode with net false, "
               "as MT-SICS does not say whether a tare is active",
    }


def cap_sir(rng):
    s = Stream()
    # The port was opened while the balance was already streaming: the file starts in the
    # middle of a reply.
    s.bad(weight_line("S", 0, 3, "kg")[7:])
    for _ in range(6):
        s.frame(weight_line("S", 0, 3, "kg"))
    for v in motion_path(rng, 0, 2480, 6):
        s.frame(weight_line("D", v, 3, "kg"))
    for _ in range(14):
        s.frame(weight_line("S", 2480, 3, "kg"))
    for v in motion_path(rng, 2480, 0, 3):
        s.frame(weight_line("D", v, 3, "kg"))
    for _ in range(7):
        s.frame(weight_line("S", 0, 3, "kg"))
    for v in motion_path(rng, 0, 731, 4):
        s.frame(weight_line("D", v, 3, "kg"))
    for _ in range(14):
        s.frame(weight_line("S", 731, 3, "kg"))
    for v in motion_path(rng, 731, 0, 3):
        s.frame(weight_line("D", v, 3, "kg"))
    for _ in range(5):
        s.frame(weight_line("S", 0, 3, "kg"))
    s.silent(text_line('I4 A "%s"' % SERIAL))        # the host sent @: the stream stops
    return s, {
        "Model emulated": "METTLER TOLEDO MT-SICS balance after the command SIR (weight "
                          "repeated at every display update), kg with 3 decimals",
        "Line settings": "9600 8N1, CR LF (assumed)",
        "Variant": "an unasked stream of S S / S D replies, about 7 a second, stopped by @",
        "Source": "SIR and its reply stream from [S11] and the fact sheet 5.2 and 5.6; " + SYNTH_NOTE,
        "Why": "the SIR stream, which looks like a continuous protocol to passive detection "
               "(fact sheet 5.6): two weighings, 2.480 kg and 0.731 kg, frames in a row with "
               "no error between them; the stream ends with the I4 reply to @",
        "Odd": "the file starts in the middle of a reply (`  0.000 kg` CR LF), one error "
               "line at offset 0",
    }


def cap_noisy(rng):
    s = Stream()
    kg = lambda st, v: weight_line(st, v, 3, "kg")  # noqa: E731
    # 1. The file starts in the middle of a reply.
    s.bad(kg("S", 1234)[9:])
    for _ in range(4):
        s.frame(kg("S", 1234))
    # 2. An injected line of garbage.
    s.bad(b"\x11\x13~noise\x00" + CRLF)
    for _ in range(3):
        s.frame(kg("S", 1234))
    # 3. Garbage before a reply on the same line: one error line, then the frame.
    s.garbage_frame(b"\x00\xfezz", kg("S", 1234))
    for _ in range(3):
        s.frame(kg("S", 1234))
    # 4. A torn reply: the first 11 bytes of a reply, then a whole reply. No LF between
    #    them, so they are one line and the torn part is garbage before the frame.
    s.garbage_frame(kg("D", 1200)[:11], kg("S", 1234))
    # 5. A reply cut before its unit, then its CR LF: no frame.
    s.bad(kg("S", 1234)[:14] + CRLF)
    for _ in range(3):
        s.frame(kg("S", 1234))
    # 6. A burst as seen at a wrong baud rate, without LF, directly before a reply.
    junk = bytes(rng.choice((0xFF, 0x00, 0x80, 0xF8, 0xFE, 0xE0, 0x9C, 0x86))
                 for _ in range(40))
    assert 0x0A not in junk
    s.garbage_frame(junk, kg("S", 1234))
    # 7. A burst that contains LF bytes: every LF ends a line, each line is judged alone.
    s.bad(b"\xff\x00\x80\n")
    s.bad(b"\xf8\xf8\xff\x00\n")
    s.bad(b"\x80\x80\n")
    for _ in range(3):
        s.frame(kg("S", 1234))
    # 8. A reply ended by CR CR LF: one CR is dropped, the other is garbage at the end.
    s.bad(kg("S", 1234)[:-2] + b"\r\r\n")
    # 9. A reply padded beyond 64 bytes (70 spaces in the value field): no frame.
    s.bad(b"S S" + b" " * 70 + b"1.234 kg" + CRLF)
    for _ in range(2):
        s.frame(kg("S", 1234))
    # 10. A long run of garbage without LF (300 bytes), then a reply: one line, the
    #     garbage before the frame is one error line, and the frame decodes.
    s.garbage_frame(bytes(rng.randrange(0x20, 0x7F) for _ in range(300)), kg("S", 856))
    # 11. Replies ended by CR only (a balance set to CR end-of-line), then one ended by
    #     CR LF: all one line; only the last reply is a frame.
    s.garbage_frame(b"".join(kg("S", 856)[:-1] for _ in range(5)), kg("S", 856))
    # 12. A value wider than the 10-character field; a kg value beyond 2^53-1 mg.
    s.bad(b"S S 12345678.901 kg" + CRLF)
    s.bad(b"S S 9999999999 kg" + CRLF)
    for _ in range(3):
        s.frame(kg("S", 856))
    # 13. A lone CR line is empty once its CR is dropped: skipped.
    s.silent(b"\r\n")
    for _ in range(2):
        s.frame(kg("S", 0))
    # 14. The file ends in the middle of a reply.
    s.truncated(kg("S", 0)[:12])
    return s, {
        "Model emulated": "MT-SICS balance in kg with 3 decimals on a noisy line",
        "Line settings": "9600 8N1 (assumed), with bursts received at a wrong baud rate",
        "Variant": "replies to SI polls, CR LF, with faults injected between them",
        "Source": "reply layout from [S11]; noise patterns from the fact sheet section 9.2 "
                  "(wrong-baud bytes 0xFF/0x00/0x80/0xF8); " + SYNTH_NOTE,
        "Why": "resynchronisation and the error-line policy: leading half line, a garbage "
               "line, garbage before a reply on its line, a torn reply, a reply cut before "
               "its unit, a wrong-baud burst with and without LF, CR CR LF, a reply wider "
               "than 64 bytes, 300 bytes of garbage before a reply, five CR-only replies "
               "before a CR LF one, a value wider than 10 characters, a value too large for "
               "2^53-1 mg, a lone CR LF, and a truncated line at end of file",
        "Odd": "everything; each fault is followed by good replies; a line that holds a frame "
               "after garbage gives one error line at the line's first byte and then the frame",
    }


CAPTURES = [
    ("newclassic-g-si", cap_newclassic),
    ("kg-bench-s-si", cap_kg_bench),
    ("range-states", cap_range),
    ("analytical-mg-g", cap_analytical),
    ("lb-oz-units", cap_lb_oz),
    ("replies-interleaved", cap_interleaved),
    ("sir-stream", cap_sir),
    ("noisy-line", cap_noisy),
]

def main():
    write_captures(CAPTURES, SEED, SYNTH_DATE, SYNTH_NOTE, OUT_DIR, name_width=22)


if __name__ == "__main__":
    main()
