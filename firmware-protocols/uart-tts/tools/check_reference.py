#!/usr/bin/env python3
"""Self-check of tools/reference_decode.py and of the numbers in SPEC.md (Python 3, stdlib only).

What it checks
    1. The worked examples of SPEC.md section 6: the GB2312 bytes of 支付宝到账十二点五元
       (against Python's own gb2312 codec), the SYN6288 frame (length 0x17, checksum 0xBA)
       and the SYN6658 / XFS5152CE frame (length 0x16), both decoded; every checksum printed
       in the SYN6288 datasheet's examples and in the fixed-frame list, recomputed; the
       parameter byte (music << 3) | encoding of the datasheet's 0x09 and 0x79.
    2. A table of small cases, one per rule or policy clause of SPEC.md 7-9, each named by a
       sentence.
    3. Every capture: the golden file equals the decoder's current output, and the frame count
       and error-line offsets equal the `Expected frames` / `Expected error offsets` that
       tools/make_captures.py wrote into the header from its own intent.

Usage
    python3 tools/check_reference.py
    Prints one line per failure and a final summary line; exit status 1 if anything failed.
"""

import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep tools/ free of __pycache__
sys.path.insert(0, HERE)

import reference_decode as rd  # noqa: E402

CAPTURES = os.path.join(os.path.dirname(HERE), "captures")

failures = []
checked = {"worked": 0, "cases": 0, "captures": 0}


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def h(text):
    return bytes.fromhex(text)


def frames(data, chip):
    return [obj for _, _, obj in rd.decode(data, chip, "host-to-chip")]


def replies(data):
    return [obj for _, _, obj in rd.decode(data, "syn6288", "chip-to-host")]


def xor(data):
    value = 0
    for byte in data:
        value ^= byte
    return value


# ------------------------------------------------------------------ worked examples

WORKED_TEXT = "支付宝到账十二点五元"
# reference/announcement.md 3: 支 D6 A7, 付 B8 B6, 宝 B1 A6, 到 B5 BD, 账 D5 CB, 十 CA AE,
# 二 B6 FE, 点 B5 E3, 五 CE E5, 元 D4 AA.
WORKED_GB2312 = h("D6 A7 B8 B6 B1 A6 B5 BD D5 CB CA AE B6 FE B5 E3 CE E5 D4 AA")
WORKED_SYN6288 = h("FD 00 17 01 00 D6 A7 B8 B6 B1 A6 B5 BD D5 CB CA AE B6 FE B5 E3 CE E5 D4 AA BA")
WORKED_SYN6658 = h("FD 00 16 01 00 D6 A7 B8 B6 B1 A6 B5 BD D5 CB CA AE B6 FE B5 E3 CE E5 D4 AA")

# SYN6288 datasheet 4.4 [S1]: (frame as printed, meaning)
DATASHEET_SYN6288 = [
    ("FD 00 0B 01 00 D3 EE D2 F4 CC EC CF C2 C1", "宇音天下 GB2312"),
    ("FD 00 0B 01 01 D3 EE D2 F4 CC EC CF C2 C0", "宇音天下 GBK"),
    ("FD 00 0B 01 02 A6 74 AD B5 A4 D1 A4 55 BB", "宇音天下 BIG5"),
    ("FD 00 0B 01 03 8B ED 97 F3 59 29 4E 0B C3", "语音天下 UTF-16BE (labelled 宇音天下)"),
    ("FD 00 0B 01 09 D3 EE D2 F4 CC EC CF C2 C8", "GBK + music 1"),
    ("FD 00 0B 01 79 D3 EE D2 F4 CC EC CF C2 B8", "GBK + music 15"),
    ("FD 00 08 01 01 5B 76 31 31 5D 85", "[v11] GBK"),
    ("FD 00 03 31 00 CF", "9600"),
    ("FD 00 03 31 01 CE", "19200"),
    ("FD 00 03 31 02 CD", "38400"),
    ("FD 00 02 02 FD", "stop"),
    ("FD 00 02 03 FC", "pause"),
    ("FD 00 02 04 FB", "resume"),
    ("FD 00 02 21 DE", "status query"),
    ("FD 00 02 88 77", "power-down"),
]


def check_worked_examples():
    checked["worked"] += 1
    if WORKED_TEXT.encode("gb2312") != WORKED_GB2312:
        fail("worked example: gb2312 codec gives %s, SPEC says %s"
             % (WORKED_TEXT.encode("gb2312").hex(" "), WORKED_GB2312.hex(" ")))

    checked["worked"] += 1
    if len(WORKED_SYN6288) != 26 or WORKED_SYN6288[2] != 0x17 or 1 + 1 + 20 + 1 != 0x17:
        fail("worked example SYN6288: length field or size")
    # SPEC.md 6.3 shows the sum in two steps: header, length, command, parameter; then the text.
    if xor(WORKED_SYN6288[:5]) != 0xEB or xor(WORKED_GB2312) != 0x51 or 0xEB ^ 0x51 != 0xBA:
        fail("worked example SYN6288: the partial XORs EB and 51 of SPEC.md 6.3 do not hold")
    if xor(WORKED_SYN6288[:25]) != 0xBA or WORKED_SYN6288[25] != 0xBA:
        fail("worked example SYN6288: XOR of the first 25 bytes is %#04x, SPEC says 0xBA"
             % xor(WORKED_SYN6288[:25]))
    want = {"chip": "syn6288", "command": "synthesize", "encoding": "gb2312", "music": 0,
            "offset": 0, "text_hex": WORKED_GB2312.hex()}
    if frames(WORKED_SYN6288, "syn6288") != [want]:
        fail("worked example SYN6288 decodes to %r" % frames(WORKED_SYN6288, "syn6288"))

    checked["worked"] += 1
    if len(WORKED_SYN6658) != 25 or WORKED_SYN6658[3:] != WORKED_SYN6288[3:-1] or WORKED_SYN6658[2] != 0x16:
        fail("worked example SYN6658: must be the SYN6288 frame without checksum, length 0x16")
    for chip in ("syn6658", "xfs5152ce"):
        want = {"chip": chip, "command": "synthesize", "encoding": "gb2312", "offset": 0,
                "text_hex": WORKED_GB2312.hex()}
        if frames(WORKED_SYN6658, chip) != [want]:
            fail("worked example %s decodes to %r" % (chip, frames(WORKED_SYN6658, chip)))
    # The same 25 bytes are not a SYN6288 frame: its length counts a checksum byte, so the
    # last text byte (AA) is read as the checksum and fails.
    if frames(WORKED_SYN6658, "syn6288") != [{"error": "bad_checksum", "offset": 0}]:
        fail("the SYN6658 frame fed as SYN6288 should be one bad_checksum candidate: %r"
             % frames(WORKED_SYN6658, "syn6288"))

    checked["worked"] += 1
    for printed, meaning in DATASHEET_SYN6288:
        data = h(printed)
        if xor(data[:-1]) != data[-1]:
            fail("datasheet %s (%s): XOR is %#04x" % (printed, meaning, xor(data[:-1])))
        if (data[1] << 8 | data[2]) != len(data) - 3:
            fail("datasheet %s (%s): length field" % (printed, meaning))
        got = frames(data, "syn6288")
        if len(got) != 1 or "error" in got[0]:
            fail("datasheet %s (%s) decodes to %r" % (printed, meaning, got))

    checked["worked"] += 1
    # parameter = (music << 3) | encoding; GBK = 1. The `music << 4` of some drivers is wrong.
    if (1 << 3) | 1 != 0x09 or (15 << 3) | 1 != 0x79:
        fail("parameter byte arithmetic")
    got = frames(h("FD 00 0B 01 79 D3 EE D2 F4 CC EC CF C2 B8"), "syn6288")
    if not got or got[0].get("music") != 15 or got[0].get("encoding") != "gbk":
        fail("0x79 should decode as GBK with music 15: %r" % got)

    checked["worked"] += 1
    # SYN6658 / XFS5152CE fixed frames of SPEC.md 4.2
    for printed, command in [("FD 00 01 02", "stop"), ("FD 00 01 03", "pause"), ("FD 00 01 04", "resume"),
                             ("FD 00 01 21", "query_status"), ("FD 00 01 88", "power_down"),
                             ("FD 00 01 FF", "wake")]:
        for chip in ("syn6658", "xfs5152ce"):
            got = frames(h(printed), chip)
            if got != [{"chip": chip, "command": command, "offset": 0}]:
                fail("%s on %s decodes to %r" % (printed, chip, got))
    if frames(h("FD 00 01 22"), "syn6658") != [{"chip": "syn6658", "command": "standby", "offset": 0}]:
        fail("FD 00 01 22 is the SYN6658 standby")

    checked["worked"] += 1
    # The GB2312 byte table Tests/StallProtocolsTests use (SPEC.md 6.3), against the codec.
    table = {"支": "D6A7", "付": "B8B6", "宝": "B1A6", "到": "B5BD", "账": "D5CB", "微": "CEA2",
             "信": "D0C5", "收": "CAD5", "款": "BFEE", "云": "D4C6", "闪": "C9C1", "零": "C1E3",
             "一": "D2BB", "二": "B6FE", "两": "C1BD", "五": "CEE5", "十": "CAAE", "百": "B0D9",
             "万": "CDF2", "点": "B5E3", "元": "D4AA", "角": "BDC7", "分": "B7D6", "宇": "D3EE",
             "音": "D2F4", "天": "CCEC", "下": "CFC2", "科": "BFC6", "大": "B4F3", "讯": "D1B6",
             "飞": "B7C9"}
    for char, code in table.items():
        if char.encode("gb2312") != h(code):
            fail("GB2312 of %s is %s, the table says %s" % (char, char.encode("gb2312").hex(), code))


# ------------------------------------------------------------------ rule cases

def frame_obj(chip, command, offset=0, **extra):
    obj = {"chip": chip, "command": command, "offset": offset}
    obj.update(extra)
    return obj


def err(offset, reason):
    return {"error": reason, "offset": offset}


def syn6288(command, parameter=None, text=b""):
    area = bytes([command]) + (bytes([parameter]) if parameter is not None else b"") + text
    out = bytes([0xFD, (len(area) + 1) >> 8, (len(area) + 1) & 0xFF]) + area
    return out + bytes([xor(out)])


def syn6658(command, parameter=None, text=b""):
    area = bytes([command]) + (bytes([parameter]) if parameter is not None else b"") + text
    return bytes([0xFD, len(area) >> 8, len(area) & 0xFF]) + area


STOP_6288 = h("FD 00 02 02 FD")
QUERY_6288 = h("FD 00 02 21 DE")
QUERY_6658 = h("FD 00 01 21")
SHOUKUAN = "收款".encode("gb2312")


def frame_cases():
    q88 = frame_obj("syn6288", "query_status")
    return [
        # (legend, chip, bytes, expected objects)
        ("an empty input gives no output", "syn6288", b"", []),
        ("a lone FD at the end is one truncated error", "syn6288", h("FD"), [err(0, "truncated")]),
        ("noise alone is one garbage line", "syn6288", b"hello", [err(0, "garbage")]),
        ("garbage before a frame is one line at offset 0", "syn6288", b"xy" + QUERY_6288,
         [err(0, "garbage"), frame_obj("syn6288", "query_status", 2)]),
        ("two frames back to back", "syn6288", QUERY_6288 + STOP_6288,
         [q88, frame_obj("syn6288", "stop", 5)]),
        ("SYN6288 length 1 is too short for any frame", "syn6288", h("FD 00 01 21") + QUERY_6288,
         [err(0, "bad_length"), frame_obj("syn6288", "query_status", 4)]),
        ("SYN6288 length 204 is beyond 203", "syn6288", h("FD 00 CC 01 00") + QUERY_6288,
         [err(0, "bad_length"), frame_obj("syn6288", "query_status", 5)]),
        ("SYN6288 200 bytes of text is the most accepted", "syn6288", syn6288(0x01, 0x00, b"a" * 200),
         [frame_obj("syn6288", "synthesize", encoding="gb2312", music=0, text_hex=("61" * 200))]),
        ("SYN6288 201 bytes of text is a bad length", "syn6288", syn6288(0x01, 0x00, b"a" * 201),
         [err(0, "bad_length")]),
        ("an unknown command is bad_command even with a right checksum", "syn6288", syn6288(0x05),
         [err(0, "bad_command")]),
        ("SYN6288 has no standby 22", "syn6288", syn6288(0x22), [err(0, "bad_command")]),
        ("SYN6288 has no wake FF", "syn6288", syn6288(0xFF), [err(0, "bad_command")]),
        ("a stop with a parameter is a bad length", "syn6288", syn6288(0x02, 0x00), [err(0, "bad_length")]),
        ("a synthesis without text is a bad length", "syn6288", syn6288(0x01, 0x00), [err(0, "bad_length")]),
        ("set-baud without its parameter is a bad length", "syn6288", syn6288(0x31), [err(0, "bad_length")]),
        ("set-baud 3 is a bad parameter", "syn6288", syn6288(0x31, 0x03), [err(0, "bad_parameter")]),
        ("encoding 4 does not exist on the SYN6288", "syn6288", syn6288(0x01, 0x04, SHOUKUAN),
         [err(0, "bad_parameter")]),
        ("music 16 is a bad parameter", "syn6288", syn6288(0x01, 0x80, SHOUKUAN), [err(0, "bad_parameter")]),
        ("music 15 with GB2312 is 0x78", "syn6288", syn6288(0x01, 0x78, SHOUKUAN),
         [frame_obj("syn6288", "synthesize", encoding="gb2312", music=15, text_hex=SHOUKUAN.hex())]),
        ("a wrong checksum is bad_checksum", "syn6288", h("FD 00 02 21 DF"), [err(0, "bad_checksum")]),
        ("a frame inside a rejected candidate is still found", "syn6288", h("FD 00 09") + QUERY_6288 + b"zzzz",
         [err(0, "bad_command"), frame_obj("syn6288", "query_status", 3), err(8, "garbage")]),
        ("a frame cut by the end is truncated after the frames", "syn6288", QUERY_6288 + QUERY_6288[:3],
         [q88, err(5, "truncated")]),
        ("a frame cut short then sent again: bad_checksum, then the frame", "syn6288",
         WORKED_SYN6288[:11] + WORKED_SYN6288,
         [err(0, "bad_checksum"), frame_obj("syn6288", "synthesize", 11, encoding="gb2312", music=0,
                                            text_hex=WORKED_GB2312.hex())]),
        ("a flood of FD is one error line", "syn6288", b"\xfd" * 40 + QUERY_6288,
         [err(0, "bad_length"), frame_obj("syn6288", "query_status", 40)]),
        ("two faults split by a frame are two lines", "syn6288", b"\x00" + QUERY_6288 + b"\x01" + QUERY_6288,
         [err(0, "garbage"), frame_obj("syn6288", "query_status", 1), err(6, "garbage"),
          frame_obj("syn6288", "query_status", 7)]),
        ("set-baud 19200 decodes its rate", "syn6288", h("FD 00 03 31 01 CE"),
         [frame_obj("syn6288", "set_baud", baud=19200)]),
        # SYN6658 / XFS5152CE
        ("SYN6658 length 0 is a bad length", "syn6658", h("FD 00 00") + QUERY_6658,
         [err(0, "bad_length"), frame_obj("syn6658", "query_status", 3)]),
        ("SYN6658 4096 bytes of text is the most accepted", "syn6658", syn6658(0x01, 0x00, b"a" * 4096),
         [frame_obj("syn6658", "synthesize", encoding="gb2312", text_hex="61" * 4096)]),
        ("SYN6658 length 4099 is beyond 4098", "syn6658", h("FD 10 03 01 00"), [err(0, "bad_length")]),
        ("SYN6658 encoding 4 is big-endian Unicode", "syn6658", syn6658(0x01, 0x04, b"\x5b\x87"),
         [frame_obj("syn6658", "synthesize", encoding="unicode_big_endian", text_hex="5b87")]),
        ("XFS5152CE has no encoding 4", "xfs5152ce", syn6658(0x01, 0x04, b"\x5b\x87"), [err(0, "bad_parameter")]),
        ("XFS5152CE has no standby 22", "xfs5152ce", h("FD 00 01 22"), [err(0, "bad_command")]),
        ("SYN6658 has no set-baud: 31 is cache-text", "syn6658", syn6658(0x31, 0x02, SHOUKUAN),
         [frame_obj("syn6658", "cache_text", segment=2, text_hex=SHOUKUAN.hex())]),
        ("cache segment 15 holds 256 bytes", "syn6658", syn6658(0x31, 0x0F, b"a" * 256),
         [frame_obj("syn6658", "cache_text", segment=15, text_hex="61" * 256)]),
        ("cache segment 15 refuses 257 bytes", "syn6658", syn6658(0x31, 0x0F, b"a" * 257), [err(0, "bad_length")]),
        ("cache segment 16 is a bad parameter", "syn6658", syn6658(0x31, 0x10, b"a"), [err(0, "bad_parameter")]),
        ("play-cache 0x31 is 3 times GBK", "syn6658", h("FD 00 02 32 31"),
         [frame_obj("syn6658", "play_cache", encoding="gbk", repeat=3)]),
        ("play-cache 0 times is a bad parameter", "syn6658", h("FD 00 02 32 01"), [err(0, "bad_parameter")]),
        ("a SYN6288 query fed as SYN6658 is a bad length (its length counts the checksum)", "syn6658",
         QUERY_6288, [err(0, "bad_length")]),
        ("without a checksum a short frame swallows the start of the next one", "syn6658",
         h("FD 00 06 01 00 CA D5") + QUERY_6658,
         [frame_obj("syn6658", "synthesize", encoding="gb2312", text_hex="cad5fd00"), err(9, "garbage")]),
    ]


def reply_cases():
    return [
        ("every reply byte has its name", h("4A 41 45 4E 4F"),
         [{"offset": 0, "reply": "init"}, {"offset": 1, "reply": "accepted"}, {"offset": 2, "reply": "rejected"},
          {"offset": 3, "reply": "busy"}, {"offset": 4, "reply": "idle"}]),
        ("a run of other bytes is one garbage line with its length", h("00 FF 80 41"),
         [{"error": "garbage", "length": 3, "offset": 0}, {"offset": 3, "reply": "accepted"}]),
        ("trailing noise is reported at the end", h("4F 12 34"),
         [{"offset": 0, "reply": "idle"}, {"error": "garbage", "length": 2, "offset": 1}]),
        ("lower-case letters are not replies", b"aeno", [{"error": "garbage", "length": 4, "offset": 0}]),
    ]


def check_cases():
    for legend, chip, data, want in frame_cases():
        checked["cases"] += 1
        got = frames(data, chip)
        if got != want:
            fail("%s:\n  got  %r\n  want %r" % (legend, got, want))
    for legend, data, want in reply_cases():
        checked["cases"] += 1
        got = replies(data)
        if got != want:
            fail("%s:\n  got  %r\n  want %r" % (legend, got, want))


# ------------------------------------------------------------------ captures

def check_captures():
    bins = sorted(glob.glob(os.path.join(CAPTURES, "*.bin")))
    if len(bins) < 6:
        fail("%d captures found in %s, at least 6 expected" % (len(bins), CAPTURES))
    directions = set()
    for path in bins:
        checked["captures"] += 1
        name = os.path.basename(path)[:-4]
        with open(path, "rb") as f:
            data = f.read()
        try:
            header = rd.read_header(path[:-4] + ".header")
        except OSError:
            fail("%s: no header file" % name)
            continue
        chip, direction = header.get("Chip"), header.get("Direction")
        if chip not in rd.CHIPS or direction not in rd.DIRECTIONS:
            fail("%s: header Chip %r / Direction %r" % (name, chip, direction))
            continue
        directions.add(direction)
        objs = [obj for _, _, obj in rd.decode(data, chip, direction)]
        lines = [rd.canonical(obj) for obj in objs]
        try:
            with open(path[:-4] + ".golden.jsonl", encoding="utf-8") as f:
                golden = f.read().splitlines()
        except OSError:
            fail("%s: no golden file" % name)
            continue
        if golden != lines:
            fail("%s: golden differs from the decoder's output (regenerate and review)" % name)
        frames_count = sum(1 for o in objs if "error" not in o)
        offsets = [o["offset"] for o in objs if "error" in o]
        want_frames = int(header.get("Expected frames", "-1"))
        want_offsets = header.get("Expected error offsets", "")
        want_offsets = [] if want_offsets == "none" else [int(x) for x in want_offsets.split()]
        if frames_count != want_frames:
            fail("%s: %d frames, header expects %d" % (name, frames_count, want_frames))
        if offsets != want_offsets:
            fail("%s: error offsets %r, header expects %r" % (name, offsets, want_offsets))
        if int(header.get("Bytes", "-1")) != len(data):
            fail("%s: %d bytes, header says %s" % (name, len(data), header.get("Bytes")))
        if frames_count == 0:
            fail("%s: no frames; a capture without frames proves nothing" % name)
    if directions != set(rd.DIRECTIONS):
        fail("captures must cover both directions, found %r" % sorted(directions))


def main():
    check_worked_examples()
    check_cases()
    check_captures()
    summary = ("uart-tts: %d worked examples, %d rule cases, %d captures"
               % (checked["worked"], checked["cases"], checked["captures"]))
    if failures:
        print("%s: %d failure(s)" % (summary, len(failures)))
        return 1
    print("%s: all checks passed" % summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
