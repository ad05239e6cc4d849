#!/usr/bin/env python3
"""Generate the Stallbox record test vectors in ../vectors/.

What it is for
    The files this script writes are the reference that every implementation of the
    record contract (firmware-protocols/upstream/SPEC.md) is checked against: the box's
    signer, the reference receiver, `stallbox-upstream verify`, and any receiver a bank
    writes in another language.

What it assumes
    python3 with the `cryptography` package (Ed25519); everything else is the standard
    library. Ed25519 signatures are deterministic (RFC 8032), so the output is the same
    on every run and every machine.

Invariants it keeps
    - Canonical bytes are json.dumps(obj, sort_keys=True, separators=(",", ":"),
      ensure_ascii=False) encoded as UTF-8; no record written here holds a float.
    - The private key is a fixed, public test key (seed bytes 0x00..0x1f). It must
      never be used on a real box.

Usage
    python3 make_vectors.py          write the vectors
    python3 make_vectors.py --check  regenerate in memory and fail (exit 1) if any file
                                     on disk differs; for CI
"""

import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "vectors"))

SEED = bytes(range(32))  # 0x00, 0x01, ..., 0x1f
# A second fixed test key, used only to produce a device_id that is not ours.
OTHER_SEED = bytes(range(0x20, 0x40))

ZERO_HASH = "0" * 64


def canonical(obj):
    """Canonical JSON text (RFC 8785 for our value types)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def reject_floats(obj):
    if isinstance(obj, float):
        raise ValueError("floating-point number in a record")
    if isinstance(obj, dict):
        for v in obj.values():
            reject_floats(v)
    if isinstance(obj, list):
        for v in obj:
            reject_floats(v)


def b64(data):
    return base64.b64encode(data).decode("ascii")


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Key:
    def __init__(self, seed):
        self.seed = seed
        self.private = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.device_id = hashlib.sha256(self.public_raw).digest()[:16].hex()

    def sign_text(self, text):
        return self.private.sign(text.encode("utf-8"))


def sign_record(key, unsigned):
    """Sign a record (dict without `sig`); return the vector entry for it."""
    assert "sig" not in unsigned
    reject_floats(unsigned)
    canonical_unsigned = canonical(unsigned)
    signature = key.sign_text(canonical_unsigned)
    signed = dict(unsigned)
    signed["sig"] = b64(signature)
    canonical_signed = canonical(signed)
    return {
        "unsigned": unsigned,
        "canonical_unsigned": canonical_unsigned,
        "signature_b64": b64(signature),
        "signed": signed,
        "canonical_signed": canonical_signed,
        "sha256_hex": sha256_hex(canonical_signed),
    }


def base(device_id, seq, prev, ts_ms, kind, clock_synced=True):
    return {"v": 1, "device_id": device_id, "seq": seq, "prev": prev, "ts_ms": ts_ms,
            "clock_synced": clock_synced, "kind": kind}


def good_chain(key):
    bodies = [
        (1764043200000, "start", {"version": "0.1.0"}),
        (1764043201500, "weighing", {
            "scale": "scale0",
            "protocol": "toledo-continuous",
            "weight_mg": 1234000,
            "net": False,
            "tare_mg": 0,
        }),
        (1764043202100, "payment", {
            "payment_id": "p-0001",
            "amount_fen": 1250,
            "channel": "alipay",
            "paid_at_ms": 1764043202000,
            "source": "upstream",
        }),
        (1764043203000, "announcement", {
            "payment_id": "p-0001",
            "outcome": "played",
            "latency_ms": 85,
            "text": "支付宝到账十二点五元",
            "speaker": "alsa:file",
        }),
    ]
    entries = []
    prev = ZERO_HASH
    for seq, (ts_ms, kind, members) in enumerate(bodies, start=1):
        # The box started before NTP had synchronized its clock; later records are synced.
        unsigned = base(key.device_id, seq, prev, ts_ms, kind, clock_synced=seq != 1)
        unsigned.update(members)
        entry = sign_record(key, unsigned)
        entries.append(entry)
        prev = entry["sha256_hex"]
    return entries


def lines(*texts):
    return "".join(t + "\n" for t in texts)


def expect(first_bad_line, reason, reply):
    return {"valid": False, "first_bad_line": first_bad_line, "reason": reason, "reply": reply}


def reply_422(code, seq):
    return {"status": 422, "error": code, "seq": seq}


def negatives(key, chain):
    """Return {name: (jsonl_text, expect_obj)}."""
    c = [e["canonical_signed"] for e in chain]
    out = {}

    # Records 1, 2, 4: seq 3 is missing. Records 1 and 2 are stored, then the gap.
    out["gap-in-sequence"] = (
        lines(c[0], c[1], c[3]),
        expect(3, "gap", {"status": 409, "acked_seq": 2}),
    )

    # seq 3 points at record 1 instead of record 2; its signature is valid over that
    # wrong prev, so only the chain check can catch it.
    u = dict(chain[2]["unsigned"])
    u["prev"] = chain[0]["sha256_hex"]
    out["broken-chain"] = (
        lines(c[0], c[1], sign_record(key, u)["canonical_signed"]),
        expect(3, "broken_chain", reply_422("broken_chain", 3)),
    )

    # Record 2's signature with one byte flipped (byte 10, xor 0x01).
    sig = bytearray(base64.b64decode(chain[1]["signature_b64"]))
    sig[10] ^= 0x01
    tampered = dict(chain[1]["signed"])
    tampered["sig"] = b64(bytes(sig))
    out["bad-signature"] = (
        lines(c[0], canonical(tampered), c[2]),
        expect(2, "bad_signature", reply_422("bad_signature", 2)),
    )

    # Record 2 claims another device's id (that of the OTHER_SEED key) but is signed,
    # validly, with our key and chained correctly.
    other = Key(OTHER_SEED)
    u = dict(chain[1]["unsigned"])
    u["device_id"] = other.device_id
    out["wrong-device-id"] = (
        lines(c[0], sign_record(key, u)["canonical_signed"]),
        expect(2, "bad_device_id", reply_422("bad_device_id", 2)),
    )

    # Record 3 carries "amount_fen":12.5. The line is written as text: it replaces the
    # integer in the canonical text, and the signature is made over exactly that text,
    # so a receiver that forgets the float check would find the signature valid.
    u_text = chain[2]["canonical_unsigned"]
    assert u_text.count('"amount_fen":1250,') == 1
    u_text = u_text.replace('"amount_fen":1250,', '"amount_fen":12.5,')
    sig_b64 = b64(key.sign_text(u_text))
    assert u_text.endswith(',"ts_ms":1764043202100,"v":1}')
    # "sig" sorts between "seq" and "source".
    anchor = '"seq":3,'
    assert u_text.count(anchor) == 1
    float_line = u_text.replace(anchor, anchor + '"sig":"' + sig_b64 + '",')
    out["float-amount"] = (
        lines(c[0], c[1], float_line),
        expect(3, "float_not_allowed", reply_422("float_not_allowed", 3)),
    )

    # Two different records with seq 2: the good weighing, then another weighing with
    # seq 2 (weight 2000000 mg), also chained to record 1 and validly signed.
    u = dict(chain[1]["unsigned"])
    u["weight_mg"] = 2000000
    u["ts_ms"] = 1764043201900
    out["reused-seq"] = (
        lines(c[0], c[1], sign_record(key, u)["canonical_signed"]),
        expect(3, "seq_conflict", reply_422("seq_conflict", 2)),
    )
    # A day_close over records 1-4 whose alipay sum is off by one fen. Receivers store it
    # (a refused record would block the box); an auditor's recount flags it.
    dc = day_close_entry(key, chain, amount_fen=1251)
    out["day-close-mismatch"] = (
        lines(*c, dc["canonical_signed"]),
        expect(5, "day_close_mismatch", {"status": 200, "acked_seq": 5}),
    )

    # A box that lost its ledger AND its anchor restarts at seq 1: a different record with
    # a seq the receiver holds, so it is refused; a human must step in (SPEC.md, Resets).
    r = base(key.device_id, 1, ZERO_HASH, 1764043300000, "reset")
    r.update(RESET_MEMBERS)
    r["acked_seq"] = 0
    r["anchor"] = False
    out["reset-without-anchor"] = (
        lines(*c, sign_record(key, r)["canonical_signed"]),
        expect(5, "seq_conflict", reply_422("seq_conflict", 1)),
    )
    return out


RESET_MEMBERS = {
    "reason": "quick_check: *** in database main *** Page 3: btreeInitPage() returns error code 11",
    "damaged_file": "ledger.sqlite.damaged-1764043300000",
}


def day_close_entry(key, chain, amount_fen=1250):
    """The day_close after the four chain records: their counts and sums."""
    u = base(key.device_id, 5, chain[3]["sha256_hex"], 1764086400000, "day_close")
    u.update({
        "day": "2025-11-25",
        "first_seq": 1,
        "last_seq": 4,
        "records": 4,
        "counts": {"start": 1, "weighing": 1, "payment": 1, "announcement": 1},
        "payments": {"alipay": {"count": 1, "amount_fen": amount_fen}},
        "announcements": {"played": 1},
        "weight_mg": 1234000,
    })
    return sign_record(key, u)


def day_close_and_reset(key, chain):
    """Records 5-7 after the chain: a day_close, then a reset that continues from the
    acknowledged record 5 (the box's ledger was damaged; the anchor survived), then a
    weighing on the new chain."""
    dc = day_close_entry(key, chain)
    r = base(key.device_id, 6, dc["sha256_hex"], 1764090000000, "reset")
    r.update(RESET_MEMBERS)
    r["acked_seq"] = 5
    r["anchor"] = True
    reset = sign_record(key, r)
    w = base(key.device_id, 7, reset["sha256_hex"], 1764090001000, "weighing")
    w.update({"scale": "scale0", "protocol": "toledo-continuous", "weight_mg": 500000, "net": False})
    return [dc, reset, sign_record(key, w)]


def render(key):
    """Return {relative path: file text} for every vector file."""
    chain = good_chain(key)
    files = {}
    doc = {
        "description": (
            "Stallbox record contract v1: four records of one device, chained and signed. "
            "canonical_unsigned is the exact text that is signed (UTF-8); canonical_signed "
            "is the record as stored and sent; sha256_hex is the SHA-256 of canonical_signed "
            "and is the next record's prev. The key is a public TEST key (seed bytes "
            "0x00..0x1f): never use it on a real box. Generated by tools/make_vectors.py."
        ),
        "private_key_seed_hex": key.seed.hex(),
        "public_key_b64": b64(key.public_raw),
        "public_key_hex": key.public_raw.hex(),
        "device_id": key.device_id,
        "records": chain,
    }
    files["chain.json"] = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    files["valid-export.jsonl"] = lines(*[e["canonical_signed"] for e in chain])
    files["valid-export.expect.json"] = json.dumps(
        {"valid": True, "reply": {"status": 200, "acked_seq": len(chain)}}, indent=2) + "\n"
    later = day_close_and_reset(key, chain)
    files["valid-with-day-close-and-reset.jsonl"] = lines(*[e["canonical_signed"] for e in chain + later])
    files["valid-with-day-close-and-reset.expect.json"] = json.dumps(
        {"valid": True, "notices": ["reset"], "reply": {"status": 200, "acked_seq": len(chain) + len(later)}}, indent=2) + "\n"
    for name, (text, exp) in negatives(key, chain).items():
        files["negative/" + name + ".jsonl"] = text
        files["negative/" + name + ".expect.json"] = json.dumps(exp, indent=2) + "\n"
    return files


def main(argv):
    check = "--check" in argv[1:]
    files = render(Key(SEED))
    differ = []
    for rel, text in sorted(files.items()):
        path = os.path.join(OUT, rel)
        data = text.encode("utf-8")
        if check:
            try:
                with open(path, "rb") as f:
                    if f.read() != data:
                        differ.append(rel)
            except FileNotFoundError:
                differ.append(rel)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
    if check:
        if differ:
            print("vectors differ from the generator: " + ", ".join(differ), file=sys.stderr)
            return 1
        print("vectors up to date (%d files)" % len(files))
    else:
        print("wrote %d files under %s" % (len(files), OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
