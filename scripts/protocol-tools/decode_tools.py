"""What every protocol's tools/reference_decode.py shares (Python 3, stdlib only).

Imported by firmware-protocols/<protocol>/tools/reference_decode.py, which keeps every
decoding rule of its protocol (framing, resynchronisation, fields, units). This module only
holds the parts that are not about any protocol:

    canonical()        the one JSON form of a golden line
    round_half_away()  integer rounding, halves away from zero
    main()             the command line: read FILE (or - for stdin), print one canonical
                       JSON line per (start, end, obj) the protocol's decode() yields;
                       --annotate precedes each with "# <start>-<end>: <hex>"
"""

import json
import sys


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def round_half_away(num, den):
    """num/den rounded to the nearest integer, halves away from zero (den > 0)."""
    q = (2 * abs(num) + den) // (2 * den)
    return -q if num < 0 else q


def main(argv, decode):
    """`reference_decode.py [--annotate] FILE|-` with the protocol's decode(data), which
    yields (start, end, obj) in input order. Returns the exit status."""
    args = argv[1:]
    annotate = False
    if args and args[0] == "--annotate":
        annotate = True
        args = args[1:]
    if len(args) != 1:
        sys.stderr.write("usage: reference_decode.py [--annotate] FILE|-\n")
        return 2
    if args[0] == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(args[0], "rb") as f:
            data = f.read()
    out = sys.stdout
    for start, end, obj in decode(data):
        if annotate:
            out.write("# %d-%d: %s\n" % (start, end, data[start:end].hex(" ")))
        out.write(canonical(obj) + "\n")
    return 0
