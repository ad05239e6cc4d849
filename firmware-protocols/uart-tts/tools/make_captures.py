#!/usr/bin/env python3
"""Writes the synthesized UART TTS captures (Python 3, stdlib only).

What it is for
    No SYN6288, SYN6658 or XFS5152CE was on the bench, so every capture in ../captures/ is
    SYNTHESIZED from the frames and replies documented in ../SPEC.md and the manuals it
    names. This script is the only way those .bin files come into being; it writes NAME.bin
    and NAME.header for every capture. Golden files are NOT written here: they come from
    tools/reference_decode.py (see tools/regen_goldens.sh), so that the generator (which
    knows what it meant to send) and the decoder (which only sees bytes) stay independent.
    The frame builder below is this script's own, not the reference decoder's.

What a capture holds
    One direction of the serial line only, as the other side's UART received it:
      host-to-chip  the frames the box writes (Direction: host-to-chip, Chip: which
                    framing and command set to decode with);
      chip-to-host  the chip's one-byte replies (Direction: chip-to-host).
    The other direction, and the timing, are described in the header's `Why` line.

Determinism
    Every random choice comes from a random.Random seeded with SEED and the capture's name,
    and the header date is the constant SYNTH_DATE, so running the script twice writes
    identical files.

Expectations
    While building a stream the generator records, from its own intent, how many frames (or
    replies) the decoder must accept and where error lines must start (SPEC.md 8). It writes
    them into the header as `Expected frames` and `Expected error offsets`;
    tools/check_reference.py compares them with the goldens.

Usage
    python3 tools/make_captures.py      # (re)writes captures/*.bin and captures/*.header
"""

import os
import random

SEED = 20261202
SYNTH_DATE = "2026-12-02"

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(os.path.dirname(HERE), "captures")

SYNTH_NOTE = "synthesized by tools/make_captures.py (no real module was connected)"
CAPTURED_BY = "nobody: " + SYNTH_NOTE

LINE_8N1 = "9600 8N1, no flow control"

INIT, ACCEPTED, ERROR, BUSY, IDLE = 0x4A, 0x41, 0x45, 0x4E, 0x4F
REPLY_BYTES = {INIT, ACCEPTED, ERROR, BUSY, IDLE}


# ---------------------------------------------------------------- frames (SPEC.md 4)

def gb(text):
    """GB2312 bytes of a phrase (Python's own codec: independent of Stallbox's iconv)."""
    return text.encode("gb2312")


def frame(chip, command, parameter=None, text=b""):
    """FD, length (big-endian), command [, parameter] [, text] [, XOR on the SYN6288]."""
    area = bytes([command]) + (bytes([parameter]) if parameter is not None else b"") + text
    checksum = chip == "syn6288"
    length = len(area) + (1 if checksum else 0)
    out = bytes([0xFD, length >> 8, length & 0xFF]) + area
    if checksum:
        x = 0
        for b in out:
            x ^= b
        out += bytes([x])
    return out


def synth(chip, text, encoding=0, music=0):
    return frame(chip, 0x01, (music << 3) | encoding, text)


def h(text):
    return bytes.fromhex(text)


# ---------------------------------------------------------------- stream model

class Stream:
    """Bytes of one capture plus what the decoder must make of them.

    good(): bytes that form one accepted frame (or one reply byte each, for replies).
    bad():  bytes that start no accepted frame; consecutive bad() calls form one run,
            hence one expected error line at the run's first byte.
    """

    def __init__(self):
        self.data = bytearray()
        self.frames = 0
        self.error_offsets = []
        self._in_run = False

    def good(self, raw, count=1):
        self.data += raw
        self.frames += count
        self._in_run = False

    def bad(self, raw):
        if not self._in_run:
            self.error_offsets.append(len(self.data))
            self._in_run = True
        self.data += raw

    def replies(self, *values):
        for value in values:
            assert value in REPLY_BYTES
            self.good(bytes([value]))


def noise(rng, count, avoid=()):
    """Random bytes that are neither reply bytes nor FD nor anything in `avoid`."""
    out = bytearray()
    while len(out) < count:
        b = rng.randrange(256)
        if b in REPLY_BYTES or b == 0xFD or b in avoid:
            continue
        out.append(b)
    return bytes(out)


# ---------------------------------------------------------------- host-to-chip captures

YUYIN = gb("宇音天下")          # the SYN6288 / SYN6658 manuals' example text
WORKED = gb("支付宝到账十二点五元")  # reference/announcement.md 3, worked example

# Phrases of reference/announcement.md section 1 (prefix + reading), the box's real traffic.
PHRASES = [
    "支付宝到账十二点五元",      # 12.50, decimal style
    "微信收款一百点零一元",      # 100.01
    "云闪付收款十万零五元",      # 100005.00: zeros spanning the group boundary
    "收款零点零五元",            # 0.05, channel none
    "支付宝到账两元",            # 2.00 with --liang, rule (c)
    "微信收款十元零五分",        # 10.05 in 元角分 style
]


def cap_syn6288_datasheet(rng):
    s = Stream()
    # SYN6288 datasheet 4.4, every example frame verbatim.
    s.good(h("FD 00 0B 01 00 D3 EE D2 F4 CC EC CF C2 C1"))  # 宇音天下 GB2312
    s.good(h("FD 00 0B 01 01 D3 EE D2 F4 CC EC CF C2 C0"))  # GBK
    s.good(h("FD 00 0B 01 02 A6 74 AD B5 A4 D1 A4 55 BB"))  # BIG5
    s.good(h("FD 00 0B 01 03 8B ED 97 F3 59 29 4E 0B C3"))  # Unicode (big-endian; text is 语音天下)
    s.good(h("FD 00 0B 01 09 D3 EE D2 F4 CC EC CF C2 C8"))  # GBK + background music 1
    s.good(h("FD 00 0B 01 79 D3 EE D2 F4 CC EC CF C2 B8"))  # GBK + background music 15
    s.good(h("FD 00 08 01 01 5B 76 31 31 5D 85"))           # "[v11]" GBK
    s.good(h("FD 00 03 31 00 CF"))                          # 9600
    s.good(h("FD 00 03 31 01 CE"))                          # 19200
    s.good(h("FD 00 03 31 02 CD"))                          # 38400
    s.good(h("FD 00 02 02 FD"))                             # stop
    s.good(h("FD 00 02 03 FC"))                             # pause
    s.good(h("FD 00 02 04 FB"))                             # resume
    s.good(h("FD 00 02 21 DE"))                             # status query
    s.good(h("FD 00 02 88 77"))                             # power-down
    return s, {
        "Chip": "syn6288",
        "Model emulated": "SYN6288 as its datasheet's examples address it",
        "Variant": "every example frame of the datasheet, section 4.4, back to back",
        "Source": "SYN6288 datasheet V1.7 section 4.4 [S1], bytes copied verbatim; " + SYNTH_NOTE,
        "Why": "the datasheet's own vectors decode: the five encodings of the synthesis parameter, background "
               "music 1 (0x09) and 15 (0x79) in the high five bits, the [v11] tag frame, the three set-baud "
               "frames, stop, pause, resume, status query and power-down, each with its XOR checksum",
        "Odd": "the datasheet labels its Unicode example 宇音天下 but the bytes 8B ED 97 F3 59 29 4E 0B are "
               "语音天下 in UTF-16 big-endian (U+8BED is 语); the checksum C3 matches the bytes, so the frame "
               "is valid as printed",
    }


def cap_syn6288_announcements(rng):
    s = Stream()
    chip = "syn6288"
    s.good(frame(chip, 0x21))                                # probe after opening the port
    s.good(synth(chip, b"[v12]"))                            # setup: volume 12, in a frame of its own
    for text in PHRASES:
        s.good(synth(chip, gb(text)))
        s.good(frame(chip, 0x21))                            # a late 4F is checked with a query
    s.good(synth(chip, gb("微信收款十二元五角")))
    s.good(frame(chip, 0x02))                                # the technician stops it
    assert synth(chip, WORKED) == h(
        "FD 00 17 01 00 D6 A7 B8 B6 B1 A6 B5 BD D5 CB CA AE B6 FE B5 E3 CE E5 D4 AA BA")
    return s, {
        "Chip": "syn6288",
        "Model emulated": "SYN6288 module as stallboxd drives it",
        "Variant": "GB2312 (parameter 0x00), no background music; one setup frame with the volume tag",
        "Source": "frame layout and checksum from [S1] and reference/announcement.md 3 [R]; phrases from "
                  "announcement.md 1, encoded with Python's gb2312 codec; " + SYNTH_NOTE,
        "Why": "the box's own traffic: a status query probe, the [v12] setup frame sent after 4A, the worked "
               "example 支付宝到账十二点五元 (26 bytes, checksum BA) and five more phrases of section 1 each "
               "followed by a status query, a 元角分-style phrase, then stop",
        "Odd": "nothing on purpose; a real session has at least 8 ms between frames, which a byte capture "
               "does not show",
    }


def cap_syn6288_noisy(rng):
    s = Stream()
    chip = "syn6288"
    good = synth(chip, WORKED)
    s.bad(noise(rng, 5))                                     # line noise at power-up
    s.good(frame(chip, 0x21))
    corrupt = bytearray(good)
    corrupt[9] ^= 0x01                                       # one flipped text bit: bad checksum
    s.bad(bytes(corrupt))
    s.good(good)                                             # the box's retry
    s.bad(frame(chip, 0x05))                                 # unknown command 05 (checksum right)
    s.good(frame(chip, 0x02))
    s.bad(synth(chip, gb("收款"), encoding=5))                # encoding 5: bad parameter
    s.bad(noise(rng, 3))                                     # ...and noise in the same run
    s.good(frame(chip, 0x21))
    s.bad(frame(chip, 0x01, 0x80, gb("收款")))                # music 16: bad parameter
    s.good(frame(chip, 0x21))
    long_text = gb("收款" * 51)                               # 204 bytes > 200: length 0xD0 = 208 > 203
    s.bad(bytes([0xFD, 0x00, 0xD0]) + bytes([0x01, 0x00]) + long_text)
    s.good(frame(chip, 0x02))
    s.bad(bytes([0xFD, 0x00, 0x03, 0x02, 0x00, 0xFC]))       # stop with a parameter: bad length
    s.good(frame(chip, 0x21))
    s.bad(good[:11])                                         # host restarted mid-frame...
    s.good(good)                                             # ...and sent it again whole
    s.bad(good[:7])                                          # cut at the end of the capture
    return s, {
        "Chip": "syn6288",
        "Model emulated": "SYN6288 module on a bad line / a misbehaving host",
        "Variant": "GB2312 synthesis frames, queries and stops between faulty frames",
        "Source": "frame layout, checksum, command set and limits from [S1]; " + SYNTH_NOTE,
        "Why": "every rejection reason of SPEC.md 7 on the checksummed family: leading noise (garbage), a "
               "flipped bit in the text (bad_checksum) then the retry, unknown command 05 (bad_command), "
               "encoding 5 (bad_parameter) followed by noise in the same run, music 16 (bad_parameter), 204 "
               "bytes of text (length 0x00D0 > 203: bad_length), a stop with a parameter (bad_length), a "
               "frame cut by a host restart, and a frame cut by the end of the capture (truncated)",
        "Odd": "the cut frame before the last retry is judged bad_checksum: its length promises 26 bytes, "
               "which the retry's own bytes complete, and the XOR does not match; the retry is then found "
               "at its own FD",
    }


def cap_syn6658_manual(rng):
    s = Stream()
    # SYN6658 user manual 9.4 and 13.2, every example frame verbatim.
    s.good(h("FD 00 0A 01 00 D3 EE D2 F4 CC EC CF C2"))      # 宇音天下 GB2312
    s.good(h("FD 00 0A 01 01 D3 EE D2 F4 CC EC CF C2"))      # GBK
    s.good(h("FD 00 0A 01 02 A6 74 AD B5 A4 D1 A4 55"))      # BIG5
    s.good(h("FD 00 0A 01 03 87 5B F3 97 29 59 0B 4E"))      # Unicode little-endian
    s.good(h("FD 00 0A 01 04 5B 87 97 F3 59 29 4E 0B"))      # Unicode big-endian
    s.good(h("FD 00 06 01 01 5B 76 38 5D"))                  # "[v8]" GBK
    s.good(h("FD 00 01 02"))                                 # stop
    s.good(h("FD 00 01 03"))                                 # pause
    s.good(h("FD 00 01 04"))                                 # resume
    s.good(h("FD 00 01 21"))                                 # status query
    s.good(h("FD 00 01 22"))                                 # standby
    s.good(h("FD 00 01 88"))                                 # standby
    s.good(h("FD 00 01 FF"))                                 # wake
    # 13.2.1: the cache example, segments 3, 1, 0, 2
    s.good(h("FD 00 14 31 03 B6 CE BB BA B4 E6 BA F3 D2 BB C6 F0 B2 A5 B7 C5 A1 A3"))
    s.good(h("FD 00 12 31 01 B4 F2 C2 D2 CB B3 D0 F2 B5 C4 D2 BB B6 CE CE C4"))
    s.good(h("FD 00 10 31 00 B4 CB B9 A6 C4 DC BF C9 D2 D4 BD AB B1 BB"))
    s.good(h("FD 00 16 31 02 B1 BE B0 B4 BF CD BB A7 CF A3 CD FB B5 C4 CB B3 D0 F2 B7 D6"))
    s.good(h("FD 00 02 32 31"))                              # 13.2.2: play 3 times, GBK
    return s, {
        "Chip": "syn6658",
        "Model emulated": "SYN6658 as its user manual's examples address it",
        "Variant": "every example frame of the manual, sections 9.4 and 13.2, back to back; no checksum",
        "Source": "SYN6658 user manual V1.41 sections 9.4 and 13.2 [S2], bytes copied verbatim; " + SYNTH_NOTE,
        "Why": "the manual's own vectors decode: the five encodings (3 = UTF-16 little-endian, 4 = big-endian), "
               "the [v8] tag frame, stop, pause, resume, query, both standby commands (22, 88), wake (FF), the "
               "four cache-text frames (segments 3, 1, 0, 2) and play-cache 0x31 (repeat 3, GBK)",
        "Odd": "the cache frames are GB2312 text but the play-cache parameter says GBK, as in the manual "
               "(GB2312 is a subset of GBK)",
    }


def cap_syn6658_announcements(rng):
    s = Stream()
    chip = "syn6658"
    s.good(frame(chip, 0x21))
    s.good(synth(chip, b"[v8]"))
    for text in PHRASES:
        s.good(synth(chip, gb(text)))
        s.good(frame(chip, 0x21))
    s.good(frame(chip, 0x02))
    assert synth(chip, WORKED) == h(
        "FD 00 16 01 00 D6 A7 B8 B6 B1 A6 B5 BD D5 CB CA AE B6 FE B5 E3 CE E5 D4 AA")
    return s, {
        "Chip": "syn6658",
        "Model emulated": "SYN6658 module as stallboxd drives it",
        "Variant": "GB2312 (parameter 0x00); one setup frame with the volume tag; no checksum",
        "Source": "frame layout from [S2] and reference/announcement.md 3 [R]; phrases from announcement.md 1, "
                  "encoded with Python's gb2312 codec; " + SYNTH_NOTE,
        "Why": "the box's own traffic on the checksum-less family: probe, [v8] setup, the worked example "
               "支付宝到账十二点五元 (25 bytes, length 0x16) and five more phrases each followed by a status "
               "query, then stop",
        "Odd": "nothing on purpose",
    }


def cap_xfs5152ce_guide(rng):
    s = Stream()
    chip = "xfs5152ce"
    # XFS5152CE guide, synthesis examples (GB2312, BIG5, Unicode little-endian) verbatim.
    s.good(h("FD 00 0A 01 00 BF C6 B4 F3 D1 B6 B7 C9"))      # 科大讯飞 GB2312
    s.good(h("FD 00 0A 01 02 AC EC A4 6A B0 54 AD B8"))      # 科大訊飛 BIG5
    s.good(h("FD 00 0A 01 03 D1 79 27 59 AF 8B DE 98"))      # 科大讯飞 UTF-16LE
    s.good(synth(chip, WORKED))
    s.good(frame(chip, 0x21))
    s.good(frame(chip, 0x02))
    s.good(frame(chip, 0x88))                                # power saving
    s.good(frame(chip, 0xFF))                                # wake
    s.bad(frame(chip, 0x22))                                 # SYN6658's standby: not an XFS command
    s.good(frame(chip, 0x21))
    s.bad(synth(chip, YUYIN, encoding=4))                    # big-endian Unicode: SYN6658 only
    s.good(frame(chip, 0x21))
    return s, {
        "Chip": "xfs5152ce",
        "Model emulated": "iFLYTEK XFS5152CE module",
        "Variant": "the SYN6658 framing without checksum; encodings 0-3 only; no 22 standby command",
        "Source": "synthesis examples from the XFS5152CE guide V1.2 (English machine translation) [S3], bytes "
                  "copied verbatim; command set from [S3] and reference/announcement.md 3 [R]; " + SYNTH_NOTE,
        "Why": "the guide's vectors (科大讯飞 in GB2312, BIG5 and UTF-16LE), the worked example, query, stop, "
               "power saving 88 and wake FF; and the two places where the XFS5152CE differs from the SYN6658: "
               "command 22 is unknown (bad_command) and encoding 4 does not exist (bad_parameter)",
        "Odd": "the guide's GBK example is garbled by the machine translation (FD 00 0A 01 0A 01 01 ...) and "
               "is left out",
    }


def cap_syn6658_noisy(rng):
    s = Stream()
    chip = "syn6658"
    good = synth(chip, WORKED)
    s.bad(noise(rng, 4))
    s.good(good)
    s.bad(h("FD 00 00 21"))                                  # length 0: bad length
    s.good(frame(chip, 0x21))
    s.bad(h("FD 10 03 01 00") + gb("收款"))                   # length 0x1003 > 4098: bad length
    s.good(frame(chip, 0x21))
    s.bad(h("FD 00 01 05"))                                  # unknown command: bad command
    s.good(frame(chip, 0x02))
    s.bad(h("FD 00 02 02 00"))                               # stop with a parameter: bad length
    s.good(frame(chip, 0x21))
    s.bad(synth(chip, gb("收款"), encoding=5))                # encoding 5: bad parameter
    s.good(frame(chip, 0x21))
    s.bad(frame(chip, 0x31, 16, gb("收款")))                  # cache segment 16: bad parameter
    s.good(frame(chip, 0x21))
    s.bad(frame(chip, 0x31, 15, gb("收款" * 65)))             # 260 bytes into 256 of segment 15
    s.good(frame(chip, 0x21))
    s.bad(frame(chip, 0x32, 0x00))                           # play cache 0 times: bad parameter
    s.good(frame(chip, 0x21))
    # A frame that lost bytes on a checksum-less line swallows what follows: a synthesis frame
    # announcing 11 bytes of data area (9 text bytes) of which 10 bytes arrive (the last
    # character lost its second byte), then a status query. The decoder (and a chip, if the
    # bytes come without a gap) reads one synthesis frame whose text ends with the query's
    # four bytes FD 00 01 21; the query itself is gone.
    swallowed = bytes([0xFD, 0x00, 0x0B, 0x01, 0x00]) + gb("收款") + gb("元")[:1]
    assert len(swallowed) == 10
    s.good(swallowed + frame(chip, 0x21)[:4])
    s.good(frame(chip, 0x21))
    s.bad(good[:12])                                         # cut by the end of the capture
    return s, {
        "Chip": "syn6658",
        "Model emulated": "SYN6658 module on a bad line / a misbehaving host",
        "Variant": "GB2312 synthesis frames and queries between faulty frames; no checksum",
        "Source": "frame layout, command set, limits and the cache rule from [S2]; " + SYNTH_NOTE,
        "Why": "every rejection reason of SPEC.md 7 on the checksum-less family: noise (garbage), length 0 and "
               "length 0x1003 (bad_length), command 05 (bad_command), a stop with a parameter (bad_length), "
               "encoding 5, cache segment 16 and play-cache 0 times (bad_parameter), 260 bytes cached from "
               "segment 15 (bad_length), and a frame cut by the end of the capture (truncated); plus the "
               "family's blind spot, a frame that lost a byte and swallows the next frame",
        "Odd": "the swallowing case is on purpose: without a checksum, the frame that lost a byte is "
               "accepted with the next status query's four bytes (FD 00 01 21) as its last text bytes, and the "
               "query is gone; SPEC.md 12 explains why the chip itself relies on the inter-byte gap here",
    }


# ---------------------------------------------------------------- chip-to-host captures

def cap_syn6288_replies(rng):
    s = Stream()
    s.replies(INIT)                        # power-up
    s.replies(ACCEPTED, IDLE)              # setup frame [v12]: 41, then 4F at once (nothing to say)
    s.replies(ACCEPTED)                    # phrase accepted...
    s.replies(ACCEPTED, BUSY)              # ...status query while speaking: 41 then 4E
    s.replies(IDLE)                        # the phrase ends: 4F unasked
    s.replies(ACCEPTED, IDLE)              # status query while idle: 41 then 4F
    s.replies(ACCEPTED)                    # next phrase
    s.replies(ACCEPTED)                    # a new phrase interrupts it (no 4F for the first)
    s.replies(IDLE)                        # the second ends
    s.replies(ACCEPTED)                    # stop while idle: 41 only
    s.replies(INIT)                        # RST pulsed: 4A again
    s.replies(ACCEPTED, IDLE)              # setup again
    return s, {
        "Chip": "syn6288",
        "Model emulated": "SYN6288 module answering stallboxd",
        "Variant": "replies only; a status query is answered 41 then 4E / 4F, as libdriver's SYN6288 driver reads it",
        "Source": "reply bytes and when they come from [S1] section 2.2 and [R]; the 41 before a query's "
                  "status from [D1]; " + SYNTH_NOTE,
        "Why": "the ordinary reply stream: 4A at power-up; 41 4F for the setup frame; 41 for a phrase, 41 4E "
               "for a query while it speaks, 4F when it ends; 41 4F for a query while idle; 41 41 4F when a "
               "new phrase interrupts the first; 41 for a stop; 4A after a reset and the setup again",
        "Odd": "the host's frames and the timing are not in the file; the order above is what they produced",
    }


def cap_syn6658_replies(rng):
    s = Stream()
    s.replies(INIT)
    s.replies(ACCEPTED, IDLE)              # setup [v8]
    s.replies(ACCEPTED)                    # phrase accepted
    s.replies(BUSY)                        # status query while speaking: a bare 4E
    s.replies(IDLE)                        # phrase ends
    s.replies(IDLE)                        # status query while idle: a bare 4F
    s.replies(ACCEPTED)                    # standby (88)
    # the next frame only wakes the chip: no reply
    s.replies(ACCEPTED)                    # the frame after it is answered
    s.replies(IDLE)
    return s, {
        "Chip": "syn6658",
        "Model emulated": "SYN6658 module answering stallboxd",
        "Variant": "replies only; a status query is answered with a bare 4E / 4F, as libdriver's SYN6658 driver reads it",
        "Source": "reply bytes from [S2] section 7.2 and [R]; the bare status byte from [D2]; " + SYNTH_NOTE,
        "Why": "4A, the setup's 41 4F, a phrase's 41, a query while speaking answered 4E without 41, the "
               "phrase's 4F, a query while idle answered 4F; standby 41, the waking frame unanswered, then a "
               "phrase's 41 and 4F",
        "Odd": "two consecutive 4F (phrase end, then the idle query's answer) look the same on the wire; only "
               "the host knows it asked",
    }


def cap_replies_noise(rng):
    s = Stream()
    s.bad(noise(rng, 6))                   # wrong-baud burst while the module powers up
    s.replies(INIT)
    s.replies(ACCEPTED, IDLE)              # setup
    s.replies(ERROR)                       # a corrupted phrase frame: 45
    s.replies(ACCEPTED)                    # the retry is accepted
    s.bad(noise(rng, 2))                   # noise while it speaks
    s.replies(IDLE)
    s.replies(ERROR, ERROR)                # a frame rejected twice: the box gives up (error)
    s.bad(noise(rng, 1))
    s.replies(ACCEPTED, BUSY)              # status query: the chip is busy
    s.bad(noise(rng, 3))
    s.bad(noise(rng, 4))                   # one run: 7 bytes
    s.replies(ACCEPTED, IDLE)
    s.bad(noise(rng, 5))                   # trailing noise: the module was unplugged
    return s, {
        "Chip": "syn6288",
        "Model emulated": "SYN6288 module on a noisy line",
        "Variant": "replies only, with noise runs between them",
        "Source": "reply bytes from [S1] section 2.2 and [R]; noise from a seeded generator (no byte equal to a "
                  "reply byte); " + SYNTH_NOTE,
        "Why": "error replies and noise: a wrong-baud burst before 4A, 45 after a corrupt frame then 41 for "
               "the retry, noise while speaking, 45 45 (rejected twice), 41 4E, noise runs between replies "
               "(two bursts back to back are one run), and trailing noise",
        "Odd": "noise bytes equal to 41/45/4A/4E/4F would be read as replies (SPEC.md 5); the generator avoids "
               "them so the expected counts hold",
    }


CAPTURES = [
    ("syn6288-datasheet-frames", "host-to-chip", cap_syn6288_datasheet),
    ("syn6288-announcements", "host-to-chip", cap_syn6288_announcements),
    ("syn6288-noisy-line", "host-to-chip", cap_syn6288_noisy),
    ("syn6658-manual-frames", "host-to-chip", cap_syn6658_manual),
    ("syn6658-announcements", "host-to-chip", cap_syn6658_announcements),
    ("syn6658-noisy-line", "host-to-chip", cap_syn6658_noisy),
    ("xfs5152ce-guide-frames", "host-to-chip", cap_xfs5152ce_guide),
    ("syn6288-replies", "chip-to-host", cap_syn6288_replies),
    ("syn6658-replies", "chip-to-host", cap_syn6658_replies),
    ("replies-noise-and-errors", "chip-to-host", cap_replies_noise),
]


def header_text(name, direction, stream, fields):
    lines = [
        ("Name", name),
        ("Chip", fields["Chip"]),
        ("Direction", direction),
        ("Model emulated", fields["Model emulated"]),
        ("Line settings", LINE_8N1),
        ("Variant", fields["Variant"]),
        ("Source", fields["Source"]),
        ("Captured by", CAPTURED_BY),
        ("Date", SYNTH_DATE + " (date of synthesis)"),
        ("Why", fields["Why"]),
        ("Odd", fields["Odd"]),
        ("Bytes", str(len(stream.data))),
        ("Expected frames", str(stream.frames)),
        ("Expected error offsets", " ".join(str(o) for o in stream.error_offsets) or "none"),
    ]
    return "".join("%s: %s\n" % (key, value) for key, value in lines)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, direction, build in CAPTURES:
        rng = random.Random("%d/%s" % (SEED, name))
        stream, fields = build(rng)
        with open(os.path.join(OUT_DIR, name + ".bin"), "wb") as f:
            f.write(bytes(stream.data))
        with open(os.path.join(OUT_DIR, name + ".header"), "w", encoding="utf-8") as f:
            f.write(header_text(name, direction, stream, fields))
        print("wrote captures/%s.bin (%d bytes) and .header" % (name, len(stream.data)))


if __name__ == "__main__":
    main()
