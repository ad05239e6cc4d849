#!/usr/bin/env python3
"""Writes the synthesized `toledo-8217` captures (Python 3, stdlib only).

What it is for
    We have no 8217 scale on the bench, so every capture in ../captures/ is SYNTHESIZED
    from the reply forms documented in ../SPEC.md and the sources it names. This script is
    the only way those .bin files come into being; it writes NAME.bin and NAME.header for
    every capture. Golden files are NOT written here: they come from
    tools/reference_decode.py (see tools/regen_goldens.sh), so that the generator (which
    knows what it meant to send) and the decoder (which only sees bytes) stay independent.

What a capture holds
    The protocol is polled: the host sends one-byte commands (`W`, `Z`, `T`, `C`, `E`...)
    and the scale answers. A capture holds the scale's replies only, back to back, exactly
    as the host's UART received them (fact sheet 2.5); the requests are described in the
    header's `Why` line, never stored in the .bin.

Determinism
    Every random choice comes from a random.Random seeded with SEED and the capture's
    name (so adding a capture does not change the others), and the header date is the
    constant SYNTH_DATE, so running the script twice writes identical files.

Expectations
    While building a stream the generator records, from its own intent, how many frames
    the decoder must accept and at which offsets error lines must start (per the
    error-line policy in SPEC.md section 10). It writes them into the header as
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

SEED = 20261202
SYNTH_DATE = "2026-12-02"

STX = 0x02
CR = 0x0D

OUT_DIR = os.path.join(os.path.dirname(HERE), "captures")

SYNTH_NOTE = "synthesized by tools/make_captures.py (no real scale was connected)"


# ---------------------------------------------------------------- status byte (SPEC 4)

MOTION = 0x01
OVER_CAPACITY = 0x02
UNDER_ZERO = 0x04
OUTSIDE_ZERO_RANGE = 0x08
CENTRE_OF_ZERO = 0x10
NET_MODE = 0x20
ALWAYS_ONE = 0x40          # bit 6: always 1 on the DIVA [S10]


def status(*bits):
    s = ALWAYS_ONE
    for bit in bits:
        s |= bit
    return s


# ---------------------------------------------------------------- replies

def reply(content):
    """One reply: STX, content, CR."""
    if isinstance(content, str):
        content = content.encode("ascii")
    assert len(content) <= 9, content          # rule 1: CR within 10 bytes of STX
    assert CR not in content
    return bytes([STX]) + content + bytes([CR])


def status_reply(s):
    return reply(bytes([0x3F, s]))


def kg_reply(grams, net=False):
    """DIVA kg form `WW.WWW` [N] [S10]."""
    assert 0 <= grams <= 99999
    return reply("%02d.%03d%s" % (grams // 1000, grams % 1000, "N" if net else ""))


def lb_reply(hundredths, net=False):
    """DIVA lb form `0WW.WW` [N] [S10]: leading zero, two decimals."""
    assert 0 <= hundredths <= 9999
    return reply("0%02d.%02d%s" % (hundredths // 100, hundredths % 100, "N" if net else ""))


ECHO_ACK = reply("E")          # `STX E CR`, rule 4
CONFIDENCE_ACK = reply("")     # `STX CR`, the answer to `A`, rule 4


# ---------------------------------------------------------------- stream model

class Stream(RunStream):
    """A RunStream (frame(): one accepted reply, weight or status; bad()) with ack(): an
    acknowledgement (`STX E CR`, `STX CR`): no output, and it ends any run."""

    def ack(self, raw):
        self.data += raw
        self._in_run = False


def settle_path(rng, start, end, count):
    """`count` values of a load settling from `start` towards `end`, with jitter. Used only
    to decide how many motion replies a poll loop sees; the 8217 sends no digits while in
    motion."""
    return motion_path(rng, start, end, count)


# ---------------------------------------------------------------- captures

def cap_diva_kg(rng):
    s = Stream()
    moving = status(MOTION)

    # Item 1: 1.234 kg of apples, gross. The host polls `W` about five times a second.
    for _ in range(5):
        s.frame(kg_reply(0))
    for _ in settle_path(rng, 0, 1234, 4):
        s.frame(status_reply(moving))
    for _ in range(10):
        s.frame(kg_reply(1234))
    for _ in range(2):
        s.frame(status_reply(moving))
    for _ in range(4):
        s.frame(kg_reply(0))
    # `Z` while the pan is empty: the status reply shows centre of zero.
    s.frame(status_reply(status(CENTRE_OF_ZERO)))
    # Item 2: a 0.150 kg bowl is put on and tared with `T`.
    for _ in range(2):
        s.frame(status_reply(moving))
    for _ in range(3):
        s.frame(kg_reply(150))
    s.frame(status_reply(status(NET_MODE, CENTRE_OF_ZERO)))     # answer to `T`
    for _ in range(3):
        s.frame(kg_reply(0, net=True))
    for _ in range(3):
        s.frame(status_reply(status(NET_MODE, MOTION)))
    for _ in range(8):
        s.frame(kg_reply(856, net=True))
    for _ in range(2):
        s.frame(status_reply(status(NET_MODE, MOTION)))
    # Bowl lifted off: net -0.150 kg, which the 8217 reports as "under zero".
    for _ in range(3):
        s.frame(status_reply(status(NET_MODE, UNDER_ZERO)))
    # `C` clears the tare: gross again, empty pan at centre of zero.
    s.frame(status_reply(status(CENTRE_OF_ZERO)))
    for _ in range(4):
        s.frame(kg_reply(0))
    # Item 3: 12.500 kg of potatoes, two integer digits in use.
    for _ in range(3):
        s.frame(status_reply(moving))
    for _ in range(6):
        s.frame(kg_reply(12500))
    for _ in range(2):
        s.frame(status_reply(moving))
    for _ in range(3):
        s.frame(kg_reply(0))
    return s, {
        "Model emulated": "METTLER TOLEDO DIVA (8217 protocol, kg)",
        "Line settings": "9600 7E1 (the settings Odoo uses for this protocol [S9]; bytes as "
                         "delivered, bit 7 clear)",
        "Variant": "kg replies `WW.WWW` (three decimals, two integer digits), net replies with "
                   "`N` before CR, status replies `? s`; replies only, the host's `W`, `Z`, "
                   "`T`, `C` requests are not in the file",
        "Source": "command set, reply forms and status bits from [S10] (DIVA service manual "
                  "6.1.3-6.1.5); poll loop as in Odoo's driver [S9]; " + SYNTH_NOTE,
        "Why": "the ordinary polled session: empty pan `00.000`, load rising (status `?A`, "
               "motion), 10 stable replies of 1.234 kg, removal, back to zero; `Z` answered "
               "`?P` (centre of zero); a 0.150 kg bowl tared with `T` (`?p`: net + centre of "
               "zero), 0.856 kg net (`00.856N`), bowl lifted (`?d`: net + under zero), tare "
               "cleared with `C` (`?P`); then 12.500 kg",
        "Odd": "nothing on purpose; status replies decode as frames with weight 0 and stable "
               "false (fact sheet 2.1), so they are counted in Expected frames",
    }


def cap_diva_lb(rng):
    s = Stream()
    moving = status(MOTION)
    for _ in range(4):
        s.frame(lb_reply(0))
    for _ in settle_path(rng, 0, 272, 3):
        s.frame(status_reply(moving))
    for _ in range(8):
        s.frame(lb_reply(272))             # 2.72 lb
    for _ in range(2):
        s.frame(status_reply(moving))
    for _ in range(3):
        s.frame(lb_reply(0))
    s.frame(status_reply(status(NET_MODE, CENTRE_OF_ZERO)))      # `T` with a tray on
    for _ in range(2):
        s.frame(status_reply(status(NET_MODE, MOTION)))
    for _ in range(6):
        s.frame(lb_reply(125, net=True))   # 1.25 lb net
    for _ in range(3):
        s.frame(lb_reply(1050))            # 10.50 lb gross after `C`
    for _ in range(3):
        s.frame(lb_reply(0))
    return s, {
        "Model emulated": "METTLER TOLEDO DIVA (8217 protocol, lb)",
        "Line settings": "9600 7E1 (assumed, as for kg [S9])",
        "Variant": "lb replies `0WW.WW` (leading zero, two decimals), net with `N`; no unit "
                   "on the wire",
        "Source": "lb reply form from [S10] (DIVA service manual 6.1.3); " + SYNTH_NOTE,
        "Why": "the DIVA's lb form, which carries no unit: rule 3 of SPEC.md decodes every "
               "unit-less reply as kg and does not guess lb from the leading zero and two "
               "decimals, so this capture pins that the decoder reads `002.72` as 2.72 kg "
               "(2720000 mg) and `001.25N` as 1.25 kg net",
        "Odd": "the golden's weights are the lb numbers read as kg, on purpose: a scale "
               "set to lb must be configured as such in Stallbox, the bytes cannot tell "
               "(SPEC.md section 12)",
    }


def cap_status(rng):
    s = Stream()
    # A 15 kg DIVA: empty, then a 20 kg sack goes on (over capacity), comes off, the zero
    # drifts below zero and is re-zeroed; `Z` with a load on is refused.
    for _ in range(3):
        s.frame(kg_reply(0))
    s.frame(status_reply(status(MOTION)))                      # `?A`
    s.frame(status_reply(status(MOTION, OVER_CAPACITY)))       # `?C`
    for _ in range(4):
        s.frame(status_reply(status(OVER_CAPACITY)))           # `?B`
    s.frame(status_reply(status(MOTION, OVER_CAPACITY)))
    s.frame(status_reply(status(MOTION)))
    s.frame(status_reply(status(MOTION, UNDER_ZERO)))          # `?E`: not the echo ack
    for _ in range(3):
        s.frame(status_reply(status(UNDER_ZERO)))              # `?D`
    s.frame(status_reply(status(CENTRE_OF_ZERO)))              # `Z` accepted: `?P`
    for _ in range(2):
        s.frame(kg_reply(0))
    for _ in range(3):
        s.frame(kg_reply(4020))
    # `Z` with 4.020 kg on the pan: outside the zero capture range.
    s.frame(status_reply(status(OUTSIDE_ZERO_RANGE)))          # `?H`
    for _ in range(2):
        s.frame(kg_reply(4020))
    # Net mode over capacity and in motion; net at zero; plain `@` (no bit but bit 6).
    s.frame(status_reply(status(NET_MODE, CENTRE_OF_ZERO)))    # `?p`
    s.frame(status_reply(status(NET_MODE, MOTION, OVER_CAPACITY)))   # `?c`
    s.frame(status_reply(status(NET_MODE, UNDER_ZERO)))        # `?d`
    s.frame(status_reply(status(NET_MODE)))                    # `?``
    s.frame(status_reply(status(CENTRE_OF_ZERO)))              # `C`: `?P`
    s.frame(status_reply(status()))                            # `?@`
    # Confidence test: `A` is acknowledged with an empty reply, `B` returns the status.
    s.ack(CONFIDENCE_ACK)
    s.frame(status_reply(status(CENTRE_OF_ZERO)))
    for _ in range(3):
        s.frame(kg_reply(0))
    return s, {
        "Model emulated": "METTLER TOLEDO DIVA (8217 protocol, kg), 15 kg capacity",
        "Line settings": "9600 7E1 (assumed [S9])",
        "Variant": "status replies `STX ? s CR` for every documented status bit, between "
                   "kg weight replies",
        "Source": "status byte bits from [S10] (DIVA service manual 6.1.4); " + SYNTH_NOTE,
        "Why": "rule 2 flag by flag: motion (`?A`), over capacity (`?B`, overload true), "
               "motion + over capacity (`?C`), under zero (`?D`, overload false: the 8217 "
               "reports a negative weight this way), motion + under zero (`?E`, a status "
               "reply whose byte happens to be E, not the echo acknowledgement), outside zero "
               "capture range (`?H`, a refused `Z`), centre of zero (`?P`), net mode "
               "(`?``, `?p`, `?c`, `?d`), no flag (`?@`); and the confidence test `A` "
               "(acknowledged by the empty reply `STX CR`, no frame, no error) then `B`",
        "Odd": "bit 6 is 1 in every status byte, as the DIVA manual documents; the empty "
               "reply produces no output line at all",
    }


def cap_benchpro(rng):
    s = Stream()
    # BenchPro-style status byte: bits 5 and 6 always 1 [S36], so it reads as net mode.
    moving = 0x60 | MOTION
    for _ in range(3):
        s.frame(reply("  0.00lb"))
    for _ in range(3):
        s.frame(status_reply(moving))
    for _ in range(5):
        s.frame(reply("  0.50lb"))          # 226796.185 mg -> 226796
    for _ in range(2):
        s.frame(status_reply(moving))
    for _ in range(4):
        s.frame(reply("50.000lb"))          # 22679618.5 mg -> 22679619 (half away from zero)
    for _ in range(3):
        s.frame(reply("  1.25lbN"))         # net, unit then N
    for _ in range(3):
        s.frame(reply("  1.00oz"))          # 28349.523125 mg -> 28350
    for _ in range(3):
        s.frame(reply("  35.2oz"))          # 997903.2139 mg -> 997903
    for _ in range(3):
        s.frame(reply(" 0.680kg"))
    for _ in range(3):
        s.frame(reply("0.680 kgN"))         # spaces between weight and unit, net
    for _ in range(3):
        s.frame(reply("   680 g"))
    for _ in range(2):
        s.frame(reply("  680g N"))          # spaces after the unit, then N
    for _ in range(2):
        s.frame(status_reply(0x60 | OVER_CAPACITY))
    for _ in range(2):
        s.frame(status_reply(0x60 | UNDER_ZERO))
    for _ in range(3):
        s.frame(reply("    0.0g"))
    return s, {
        "Model emulated": "Rice Lake BenchPro series in its 8217-style protocol",
        "Line settings": "9600 7E1 (assumed; not taken from [S36])",
        "Variant": "weight replies with a unit suffix `lb`, `oz`, `kg` or `g`, right-aligned "
                   "with leading spaces, with and without spaces around the unit, net `N` "
                   "after the unit; status byte with bits 5 and 6 always 1",
        "Source": "unit suffixes and the status byte's constant bits 5 and 6 from [S36] "
                  "(BenchPro operation manual, 8217-style protocol); leading spaces as "
                  "Odoo's reply pattern allows [S9]; " + SYNTH_NOTE,
        "Why": "every unit of rule 3 and the exact conversions: 0.50 lb = 226796 mg, 50.000 "
               "lb = 22679618.5 mg rounded half away from zero to 22679619, 1.00 oz = 28350 "
               "mg, 35.2 oz = 997903 mg, 0.680 kg, 680 g; the optional spaces before and "
               "after the unit and `N` after it",
        "Odd": "the exact padding of a BenchPro reply is not in the source, so widths here "
               "are our choice (always within the 9 content bytes of rule 1). Status "
               "replies decode with net true because bit 5 is held at 1 (SPEC.md "
               "section 6): the decoder keeps Mettler's meaning as the fact sheet says",
    }


def cap_echo_probe(rng):
    s = Stream()
    # Odoo-style identification [S9], after the daemon's first `W` probe was answered.
    s.frame(kg_reply(0))
    # Host sends `Ehello`: the scale acknowledges with `STX E CR`, then echoes `hello`.
    s.ack(ECHO_ACK)
    s.bad(b"hello")
    # The host polled `W` twice before sending `F`: still in echo mode, the two `W`s come
    # back as plain bytes and join the same garbage run.
    s.bad(b"WW")
    # `F` ends echo mode (not echoed); polling resumes.
    for _ in range(3):
        s.frame(kg_reply(0))
    s.frame(status_reply(status(MOTION)))
    for _ in range(5):
        s.frame(kg_reply(2345))
    # A second probe later (a daemon restart): this time `F` follows at once.
    s.ack(ECHO_ACK)
    s.bad(b"hello")
    for _ in range(3):
        s.frame(kg_reply(2345))
    for _ in range(2):
        s.frame(kg_reply(0))
    return s, {
        "Model emulated": "METTLER TOLEDO DIVA / Ariva-S (8217 protocol, kg) answering the "
                          "echo probe",
        "Line settings": "9600 7E1 [S9]",
        "Variant": "kg weight replies around two echo-mode exchanges; replies only",
        "Source": "echo mode from [S10] (`E`), its use as an identification probe and `F` to "
                  "leave it from [S9] (Odoo sends `Ehello` and expects exactly "
                  "02 45 0D 68 65 6C 6C 6F); " + SYNTH_NOTE,
        "Why": "rule 4 and the garbage rule together: the acknowledgement `STX E CR` yields no "
               "line, and the echoed bytes outside STX...CR are garbage (one error line at "
               "the `h`). The first probe's echo also carries two `W` polls the host sent "
               "before `F`",
        "Odd": "whether the scale echoes the `F` that ends echo mode is not documented; this "
               "capture assumes it does not",
    }


def cap_noisy(rng):
    s = Stream()

    def good(grams, n=1):
        for _ in range(n):
            s.frame(kg_reply(grams))

    # 1. The file starts in the middle of a reply: its last 5 bytes (`.234` CR).
    s.bad(kg_reply(1234)[-5:])
    good(1234, 3)
    # 2. Injected garbage between two replies.
    s.bad(b"\x11\x13~noise\x00")
    good(1234, 3)
    # 3. A torn reply: STX and four bytes, then a whole new reply. No CR within ten bytes
    #    of the torn STX, so it is rejected and the next STX decodes.
    s.bad(kg_reply(1234)[:5])
    good(1234, 3)
    # 4. A burst as seen at a wrong baud rate (no 0x02 in it).
    junk = bytes(rng.choice((0xFF, 0x00, 0x80, 0xF8, 0xFE, 0xE0, 0x9C, 0x86))
                 for _ in range(40))
    assert STX not in junk
    s.bad(junk)
    good(1234, 3)
    # 5. A reply with a corrupted character inside (`3` hit by noise, now `X`).
    s.bad(reply("01.2X4"))
    good(1234, 2)
    # 6. A reply that lost a digit to a parity error (7E1 receivers drop such bytes): it
    #    still looks like a weight, 1.24 kg, and nothing in the protocol can tell.
    s.frame(reply("01.24"))
    good(1234, 2)
    # 7. A status reply whose CR was lost: the next reply's STX and CR fall inside its
    #    ten-byte window, so the CR found belongs to the next reply and the content
    #    (`?A` STX `01.234`) matches no rule. Hunting resumes after the first STX and the
    #    next reply decodes.
    s.bad(status_reply(status(MOTION))[:-1])
    good(1234, 2)
    # 8. An over-long line: STX and eleven digits before CR (no CR within ten bytes).
    s.bad(bytes([STX]) + b"12345678901\r")
    good(0, 2)
    # 9. Garbage that holds a stray STX right before a good reply.
    s.bad(bytes([STX, 0x30, 0x30]))
    good(0, 3)
    # 10. The file ends in the middle of a reply.
    s.bad(kg_reply(0)[:4])
    return s, {
        "Model emulated": "METTLER TOLEDO DIVA (8217 protocol, kg) on a noisy line",
        "Line settings": "9600 7E1 (assumed), with a burst received at a wrong baud rate",
        "Variant": "kg weight replies `WW.WWW`, replies only",
        "Source": "reply form from [S10]; noise patterns from the fact sheet section 9.2 "
                  "(wrong-baud bytes 0xFF/0x00/0x80/0xF8); " + SYNTH_NOTE,
        "Why": "resynchronisation and the error-line policy: leading half reply, injected "
               "garbage, a torn reply (no CR within ten bytes), a wrong-baud burst, a reply "
               "with a corrupted character, a status reply whose CR was lost (the next "
               "reply's CR falls in its window), an over-long line, garbage holding a stray STX, and a "
               "truncated reply at end of file",
        "Odd": "the protocol has no checksum (fact sheet 4.3): one reply lost its `3` to a "
               "parity error and decodes as a plausible 1.24 kg, which is counted as a frame; "
               "every other fault is separated from the next by good replies, so each yields "
               "exactly one error line, and the reply after the lost-CR reply decodes",
    }


CAPTURES = [
    ("diva-kg-session", cap_diva_kg),
    ("diva-lb-nounit", cap_diva_lb),
    ("diva-status-flags", cap_status),
    ("benchpro-units", cap_benchpro),
    ("echo-probe", cap_echo_probe),
    ("noisy-line", cap_noisy),
]

def main():
    write_captures(CAPTURES, SEED, SYNTH_DATE, SYNTH_NOTE, OUT_DIR, name_width=20)


if __name__ == "__main__":
    main()
