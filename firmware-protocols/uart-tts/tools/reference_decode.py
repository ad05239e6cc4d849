#!/usr/bin/env python3
"""Reference decoder for the UART TTS chips (Python 3, stdlib only).

What it is for
    An implementation of the decoding rules in ../SPEC.md (sections 5, 7, 8 and 9) written
    independently of the Swift decoders `TTSFrameDecoder` and `TTSReplyDecoder` in
    StallProtocols. It produces the golden files in ../captures/. When the Swift and the
    Python decoders disagree on a capture, one of them is wrong; SPEC.md decides which.

Two directions, two decoders
    host-to-chip  the frames a host writes: FD, length (2 bytes, big-endian), data area
                  [, XOR checksum on the SYN6288]. Needs the chip: syn6288, syn6658 or
                  xfs5152ce (the frame families and command sets differ).
    chip-to-host  the chip's one-byte replies 4A 41 45 4E 4F; the same on every chip.

Input assumptions
    The whole input is one file of raw bytes in one direction only. It may start or end
    in the middle of a frame and hold noise between frames; GB2312 text may contain FD.

Output
    One canonical JSON line per frame, reply or error line, in input order (SPEC.md 9).
    Canonical means json.dumps(obj, sort_keys=True, separators=(",", ":")).

Resync rule in one sentence (host-to-chip)
    Hunt for FD; judge the candidate's length, command, parameter and checksum in that
    order, each as soon as its byte is there; the first failed check rejects it and
    hunting resumes at the byte after its FD; every maximal run of bytes that starts no
    accepted frame becomes one error line at the run's first byte.

Usage
    python3 reference_decode.py captures/NAME.bin        # chip and direction from NAME.header
    python3 reference_decode.py --chip syn6288 --direction host-to-chip FILE|-
    python3 reference_decode.py --annotate captures/NAME.bin
        # the same lines, each preceded by "# <start>-<end>: <hex>" (and the GB2312 text
        # of a synthesis frame), for review only, never for goldens
"""

import json
import os
import sys

HEADER = 0xFD

# SPEC.md 4: command bytes per chip, and the shape of each command's data area.
#   bare:      command only
#   param:     command + parameter
#   param+text command + parameter + at least one text byte
SHAPES = {
    "synthesize": "param+text",
    "stop": "bare",
    "pause": "bare",
    "resume": "bare",
    "query_status": "bare",
    "power_down": "bare",
    "standby": "bare",
    "wake": "bare",
    "set_baud": "param",
    "cache_text": "param+text",
    "play_cache": "param",
}

COMMON_COMMANDS = {0x01: "synthesize", 0x02: "stop", 0x03: "pause", 0x04: "resume",
                   0x21: "query_status", 0x88: "power_down"}

CHIPS = {
    "syn6288": {
        "checksum": True,
        "max_text": 200,
        "encodings": (0, 1, 2, 3),
        "commands": {**COMMON_COMMANDS, 0x31: "set_baud"},
    },
    "syn6658": {
        "checksum": False,
        "max_text": 4096,
        "encodings": (0, 1, 2, 3, 4),
        "commands": {**COMMON_COMMANDS, 0x22: "standby", 0xFF: "wake",
                                 0x31: "cache_text", 0x32: "play_cache"},
    },
    "xfs5152ce": {
        "checksum": False,
        "max_text": 4096,
        "encodings": (0, 1, 2, 3),
        "commands": {**COMMON_COMMANDS, 0xFF: "wake", 0x31: "cache_text",
                                 0x32: "play_cache"},
    },
}

ENCODING_NAMES = {0: "gb2312", 1: "gbk", 2: "big5", 3: "unicode", 4: "unicode_big_endian"}
PYTHON_CODECS = {0: "gb2312", 1: "gbk", 2: "big5"}    # for --annotate only
BAUD_RATES = (9600, 19200, 38400)                       # SYN6288 set-baud parameter 0, 1, 2

REPLIES = {0x4A: "init", 0x41: "accepted", 0x45: "rejected", 0x4E: "busy", 0x4F: "idle"}

DIRECTIONS = ("host-to-chip", "chip-to-host")


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def xor(data):
    value = 0
    for byte in data:
        value ^= byte
    return value


def data_area_limits(chip):
    """Shortest and longest data area of any valid frame (SPEC.md 4.1)."""
    spec = CHIPS[chip]
    extra = 1 if spec["checksum"] else 0
    return 1 + extra, spec["max_text"] + 2 + extra


def longest_frame(chip):
    return 3 + data_area_limits(chip)[1]


# ------------------------------------------------------------------ host-to-chip

def parameter_problem(command, parameter, text_length, chip):
    """Check 3 of SPEC.md 7: None, "bad_parameter" or "bad_length"."""
    spec = CHIPS[chip]
    if command == "synthesize":
        if chip == "syn6288":
            if (parameter & 0x07) not in spec["encodings"] or (parameter >> 3) > 15:
                return "bad_parameter"
        elif parameter not in spec["encodings"]:
            return "bad_parameter"
    elif command == "set_baud":
        if parameter >= len(BAUD_RATES):
            return "bad_parameter"
    elif command == "cache_text":
        if parameter > 15:
            return "bad_parameter"
        if text_length > (16 - parameter) * 256:
            return "bad_length"
    elif command == "play_cache":
        if not 1 <= (parameter >> 4) <= 15 or (parameter & 0x0F) not in spec["encodings"]:
            return "bad_parameter"
    return None


def frame_object(chip, command, parameter, text, offset):
    obj = {"chip": chip, "command": command, "offset": offset}
    if command == "synthesize":
        if chip == "syn6288":
            obj["encoding"] = ENCODING_NAMES[parameter & 0x07]
            obj["music"] = parameter >> 3
        else:
            obj["encoding"] = ENCODING_NAMES[parameter]
        obj["text_hex"] = text.hex()
    elif command == "set_baud":
        obj["baud"] = BAUD_RATES[parameter]
    elif command == "cache_text":
        obj["segment"] = parameter
        obj["text_hex"] = text.hex()
    elif command == "play_cache":
        obj["repeat"] = parameter >> 4
        obj["encoding"] = ENCODING_NAMES[parameter & 0x0F]
    return obj


def judge(data, i, chip):
    """The checks of SPEC.md 7 on the candidate at data[i] == FD, on the whole input.

    Returns ("accept", end, obj), ("reject", reason), or ("reject", "truncated") when the
    input ends before the byte the next check needs."""
    spec = CHIPS[chip]
    size = len(data)
    extra = 1 if spec["checksum"] else 0

    # 1. length field
    if i + 3 > size:
        return ("reject", "truncated")
    length = (data[i + 1] << 8) | data[i + 2]
    low, high = data_area_limits(chip)
    if not low <= length <= high:
        return ("reject", "bad_length")

    # 2. command byte, and the length its shape allows
    if i + 4 > size:
        return ("reject", "truncated")
    command = spec["commands"].get(data[i + 3])
    if command is None:
        return ("reject", "bad_command")
    shape = SHAPES[command]
    if shape == "bare" and length != 1 + extra:
        return ("reject", "bad_length")
    if shape == "param" and length != 2 + extra:
        return ("reject", "bad_length")
    if shape == "param+text" and length < 3 + extra:
        return ("reject", "bad_length")

    # 3. parameter byte
    parameter = 0
    if shape != "bare":
        if i + 5 > size:
            return ("reject", "truncated")
        parameter = data[i + 4]
        problem = parameter_problem(command, parameter, length - 2 - extra, chip)
        if problem is not None:
            return ("reject", problem)

    # 4. the whole frame, and the SYN6288 checksum
    end = i + 3 + length
    if end > size:
        return ("reject", "truncated")
    if spec["checksum"] and xor(data[i:end - 1]) != data[end - 1]:
        return ("reject", "bad_checksum")
    text = bytes(data[i + 5:end - extra]) if shape == "param+text" else b""
    return ("accept", end, frame_object(chip, command, parameter, text, i))


def decode_frames(data, chip):
    """Yield (start, end, obj) for every frame and error line (SPEC.md 8)."""
    size = len(data)
    pending = None          # (offset, reason) of the current rejected run
    i = 0
    while i < size:
        if data[i] != HEADER:
            if pending is None:
                pending = (i, "garbage")
            i += 1
            continue
        outcome = judge(data, i, chip)
        if outcome[0] == "reject":
            if pending is None:
                pending = (i, outcome[1])
            i += 1
            continue
        _, end, obj = outcome
        if pending is not None:
            yield pending[0], i, {"error": pending[1], "offset": pending[0]}
            pending = None
        yield i, end, obj
        i = end
    if pending is not None:
        yield pending[0], size, {"error": pending[1], "offset": pending[0]}


# ------------------------------------------------------------------ chip-to-host

def decode_replies(data):
    """Yield (start, end, obj): one line per reply byte, one per run of other bytes."""
    run = None              # offset of the current run of non-reply bytes
    for i, byte in enumerate(data):
        name = REPLIES.get(byte)
        if name is None:
            if run is None:
                run = i
            continue
        if run is not None:
            yield run, i, {"error": "garbage", "length": i - run, "offset": run}
            run = None
        yield i, i + 1, {"offset": i, "reply": name}
    if run is not None:
        yield run, len(data), {"error": "garbage", "length": len(data) - run, "offset": run}


def decode(data, chip, direction):
    if direction == "host-to-chip":
        return decode_frames(bytes(data), chip)
    if direction == "chip-to-host":
        return decode_replies(bytes(data))
    raise ValueError("direction must be one of %s" % (DIRECTIONS,))


# ------------------------------------------------------------------ command line

def read_header(path):
    fields = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(": ")
            fields[key] = value
    return fields


def capture_settings(bin_path):
    """(chip, direction) from the `Chip:` and `Direction:` lines of NAME.header."""
    header = read_header(bin_path[:-len(".bin")] + ".header")
    return header["Chip"], header["Direction"]


def annotation(data, start, end, obj):
    note = "# %d-%d: %s" % (start, end, data[start:end].hex(" "))
    text_hex = obj.get("text_hex")
    codec = PYTHON_CODECS.get({v: k for k, v in ENCODING_NAMES.items()}.get(obj.get("encoding"), -1))
    if text_hex is not None and codec is not None:
        note += " | text: " + bytes.fromhex(text_hex).decode(codec, errors="replace")
    return note


def main(argv):
    args = argv[1:]
    annotate = False
    chip = direction = None
    while args and args[0].startswith("--"):
        flag = args.pop(0)
        if flag == "--annotate":
            annotate = True
        elif flag == "--chip" and args:
            chip = args.pop(0)
        elif flag == "--direction" and args:
            direction = args.pop(0)
        else:
            args = []
            break
    if len(args) != 1:
        sys.stderr.write("usage: reference_decode.py [--annotate] [--chip CHIP --direction "
                         "host-to-chip|chip-to-host] FILE|-\n")
        return 2
    path = args[0]
    if chip is None or direction is None:
        if path == "-" or not os.path.exists(path[:-len(".bin")] + ".header"):
            sys.stderr.write("reference_decode.py: give --chip and --direction (no header)\n")
            return 2
        header_chip, header_direction = capture_settings(path)
        chip = chip or header_chip
        direction = direction or header_direction
    if chip not in CHIPS or direction not in DIRECTIONS:
        sys.stderr.write("reference_decode.py: unknown chip %r or direction %r\n" % (chip, direction))
        return 2
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    out = sys.stdout
    for start, end, obj in decode(data, chip, direction):
        if annotate:
            out.write(annotation(data, start, end, obj) + "\n")
        out.write(canonical(obj) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
