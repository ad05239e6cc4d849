#!/usr/bin/env python3
"""Writes the synthesized `cas-dc1` captures (Python 3, stdlib only).

What it is for
    We have no CAS or Aclas scale on the bench, so every capture in ../captures/ is
    SYNTHESIZED from the reply layouts documented in ../SPEC.md and the sources it names.
    This script is the only way those .bin files come into being; it writes NAME.bin and
    NAME.header for every capture. Golden files are NOT written here: they come from
    tools/reference_decode.py (see tools/regen_goldens.sh), so that the generator (which
    knows what it meant to send) and the decoder (which only sees bytes) stay independent.

What a capture holds
    The scale's side of the exchange only, as `stallctl decode` expects for a polled
    protocol (fact sheet 2.5): for each poll the ACK that answers the host's ENQ, then the
    reply SOH ... EOT that answers DC1, DC2 or DC3. The host's ENQ/DC1 bytes are not in it.

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

SOH = 0x01
STX = 0x02
ETX = 0x03
EOT = 0x04
ACK = 0x06
NAK = 0x15

OUT_DIR = os.path.join(os.path.dirname(HERE), "captures")

SYNTH_NOTE = "synthesized by tools/make_captures.py (no real scale was connected)"


# ---------------------------------------------------------------- fields

def xor_of(payload):
    x = 0
    for byte in payload:
        x ^= byte
    return x


def number_field(value, decimals, width, point=b"."):
    """A right-aligned number with `decimals` decimals and leading spaces, as the CAS
    firmware's Int32sToDecStr builds weight and price fields [S20]: at least one digit
    before the point."""
    assert value >= 0
    text = str(value).rjust(decimals + 1, "0")
    if decimals:
        text = text[:-decimals] + point.decode("ascii") + text[-decimals:]
    assert len(text) <= width, (value, decimals, width)
    return text.rjust(width).encode("ascii")


def weight_payload(value, decimals=3, unit=b"kg", stable=True, negative=False,
                   overload=False, width=6, sta=None):
    """STA SIGN weight unit. `value` is in display steps (e.g. 1234 for 1.234 kg).
    CAS overload: SIGN and the six weight characters become seven 'F' [S20]."""
    status = sta if sta is not None else (b"S" if stable else b"U")
    if overload:
        return status + b"F" * (1 + width) + unit
    sign = b"-" if negative else b" "
    return status + sign + number_field(value, decimals, width) + unit


def price_payload(fen, point=b".", width=8):
    """Total or unit price in yuan with two decimals, 8 characters, leading spaces [S20]."""
    return number_field(fen, 2, width, point)


def plu_payload(plu):
    """PLU number, 5 characters, leading spaces [S20]."""
    return str(plu).rjust(5).encode("ascii")


def block(payload, bcc=None):
    """STX payload BCC ETX, the BCC by reading A (XOR of the payload) unless given."""
    return bytes([STX]) + payload + bytes([xor_of(payload) if bcc is None else bcc, ETX])


def reply(*blocks):
    return bytes([SOH]) + b"".join(blocks) + bytes([EOT])


def dc1(payload, bcc=None):
    return reply(block(payload, bcc))


def total_fen(grams, unit_price_fen):
    """Amount for `grams` at `unit_price_fen` per 1000 display units, rounded half up
    (the emulator's rule; the CAS source does not show its rounding)."""
    return (grams * unit_price_fen * 2 + 1000) // 2000


def dc2(total_payload, weight, unit_price_payload, bccs=(None, None, None)):
    return reply(block(total_payload, bccs[0]), block(weight, bccs[1]),
                 block(unit_price_payload, bccs[2]))


def dc3(total_payload, weight, unit_price_payload, plu):
    return reply(block(total_payload), block(weight), block(unit_price_payload),
                 block(plu_payload(plu)))


# ---------------------------------------------------------------- stream model

class Stream(RunStream):
    """Bytes of one capture plus what the decoder must make of them.

    quiet(): ACK/NAK bytes, skipped by the decoder; they neither start nor end a run.
    frame(): one reply the decoder must accept.
    bad(): bytes that start no reply; consecutive bad() calls (ACK/NAK between them
           allowed) form one run, hence one expected error line at the run's first byte.
           `candidate_at` names the offsets (relative to raw) of SOH STX pairs inside
           raw, which the generator checks cannot be delimited by chance (rule 2).
    refused(): a reply that is delimited (rules 1-2) but whose content rules 3-5 refuse:
           one error line at its SOH, and it ends any run before it.
    """

    def __init__(self):
        super().__init__()
        self._candidates = []

    def quiet(self, raw):
        assert all(b in (ACK, NAK) for b in raw)
        self.data += raw

    def polled(self, raw):
        """One poll answered: ACK for the ENQ, then the reply."""
        self.quiet(bytes([ACK]))
        self.frame(raw)

    def bad(self, raw, candidate_at=()):
        self._candidates += [len(self.data) + c for c in candidate_at]
        super().bad(raw)

    refused = RunStream.lone_error

    def check_candidates(self):
        """Every SOH STX the generator put inside bad bytes must stay undelimitable once
        the stream is complete. Walks rule 2 block by block: an ETX at STX+2..STX+20
        with a matching BCC (reading A, or reading B on a first block) and STX or EOT
        after it ends a block; reaching EOT within four blocks would be a reply."""
        data = bytes(self.data)
        for soh in self._candidates:
            assert data[soh] == SOH and data[soh + 1] == STX, soh
            p = soh + 1
            for index in range(4):
                end = None
                for k in range(p + 2, min(p + 21, len(data) - 1)):
                    if data[k] != ETX:
                        continue
                    a = xor_of(data[p + 1:k - 1])
                    ok = (a, a ^ 0x01) if index == 0 else (a,)
                    if data[k - 1] in ok and data[k + 1] in (STX, EOT):
                        end = k
                        break
                if end is None:
                    break
                if data[end + 1] == EOT:
                    raise AssertionError("bad reply at %d could be delimited at %d" % (soh, end))
                p = end + 1


def kg_payload(grams, stable=True):
    return weight_payload(abs(grams), 3, b"kg", stable=stable, negative=grams < 0)


# ---------------------------------------------------------------- captures

def cap_cas_dc1_kg(rng):
    s = Stream()

    def put(grams, stable=True):
        s.polled(dc1(kg_payload(grams, stable)))

    # Item 1: 1.234 kg (the fact sheet's worked example while stable).
    for _ in range(6):
        put(0)
    for g in motion_path(rng, 0, 1234, 6):
        put(g, stable=False)
    for _ in range(12):
        put(1234)
    for g in motion_path(rng, 1234, 0, 4):
        put(g, stable=False)
    put(-2, stable=False)               # a momentary negative reading while lifting
    for _ in range(5):
        put(0)
    # Item 2: 12.345 kg, the widest number a six-character field holds at 3 decimals.
    for g in motion_path(rng, 0, 12345, 6):
        put(g, stable=False)
    for _ in range(10):
        put(12345)
    for g in motion_path(rng, 12345, 0, 3):
        put(g, stable=False)
    for _ in range(5):
        put(0)
    return s, {
        "Model emulated": "CAS price scale (ER-type ECR protocol), answering DC1",
        "Line settings": "9600 8N1 (the CAS firmware default [S20], AP-1 [S22])",
        "Variant": "DC1 replies, 15 bytes: SOH STX STA SIGN six-character weight 'kg' BCC ETX "
                   "EOT, BCC by reading A; each reply preceded by the ACK that answered ENQ",
        "Source": "exchange and reply layout from the CAS firmware commErInterpreter / "
                  "commErSendWeight [S20], cross-checked with [S22] and [S23]; " + SYNTH_NOTE,
        "Why": "the ordinary case: a host polling about five times a second while two items "
               "are weighed: empty pan, load rising in motion (STA U), stable (STA S) at "
               "1.234 kg and 12.345 kg, removal, empty again",
        "Odd": "one momentary negative reading (-0.002 kg, STA U) while the first item is "
               "lifted; otherwise nothing on purpose",
    }


def cap_cas_dc2_prices(rng):
    s = Stream()

    def put(grams, unit_price, stable=True):
        total = total_fen(max(grams, 0), unit_price)
        s.polled(dc2(price_payload(total), kg_payload(grams, stable),
                     price_payload(unit_price)))

    price = 1250                        # 12.50 yuan/kg
    for _ in range(4):
        put(0, price)
    for g in motion_path(rng, 0, 1234, 5):
        put(g, price, stable=False)
    for _ in range(8):
        put(1234, price)                # 15.425 yuan -> 15.43 (half up)
    for g in motion_path(rng, 1234, 0, 3):
        put(g, price, stable=False)
    for _ in range(3):
        put(0, price)
    price = 880                         # the seller keys in 8.80 yuan/kg
    for _ in range(2):
        put(0, price)
    for g in motion_path(rng, 0, 2500, 4):
        put(g, price, stable=False)
    for _ in range(8):
        put(2500, price)                # 22.00 yuan
    for g in motion_path(rng, 2500, 0, 3):
        put(g, price, stable=False)
    price = 39800                       # 398.00 yuan/kg (dried goods)
    for _ in range(2):
        put(0, price)
    for _ in range(6):
        put(1999, price)                # 795.602 yuan -> 795.60
    for _ in range(3):
        put(0, price)
    return s, {
        "Model emulated": "CAS price scale (ER-type ECR protocol), answering DC2",
        "Line settings": "9600 8N1 (the CAS firmware default [S20])",
        "Variant": "DC2 replies: SOH, total price block (8 characters), weight block, unit "
                   "price block (8 characters), EOT; BCC by reading A on every block",
        "Source": "block order and field widths from the CAS firmware commErSendTotalPrice / "
                  "commErSendWeight / commErSendUnitPrice [S20], price layout as in [S23]; "
                  + SYNTH_NOTE,
        "Why": "totals and unit prices in fen: 1.234 kg at 12.50 yuan/kg = 15.425 -> 15.43, "
               "2.500 kg at 8.80 = 22.00, 1.999 kg at 398.00 = 795.602 -> 795.60, and zero "
               "totals on an empty pan; unit price per kg reported as sent",
        "Odd": "the totals are rounded half up to the fen by this generator; the CAS source "
               "shows how the total is printed, not how the scale rounds it",
    }


def cap_cas_dc3_plu(rng):
    s = Stream()

    def put(grams, unit_price, plu, stable=True):
        total = total_fen(max(grams, 0), unit_price)
        s.polled(dc3(price_payload(total), kg_payload(grams, stable),
                     price_payload(unit_price), plu))

    for _ in range(3):
        put(0, 0, 0)                    # no PLU called up: PLU 0, price 0
    for _ in range(3):
        put(0, 1580, 12)                # PLU 12 called up: 15.80 yuan/kg
    for g in motion_path(rng, 0, 750, 4):
        put(g, 1580, 12, stable=False)
    for _ in range(6):
        put(750, 1580, 12)              # 11.85 yuan
    for g in motion_path(rng, 750, 0, 2):
        put(g, 1580, 12, stable=False)
    for _ in range(2):
        put(0, 2990, 345)
    for g in motion_path(rng, 0, 3210, 4):
        put(g, 2990, 345, stable=False)
    for _ in range(6):
        put(3210, 2990, 345)            # 95.979 -> 95.98 yuan
    put(3210, 2990, 99999)              # the widest PLU a five-character field holds
    for _ in range(3):
        put(0, 2990, 345)
    return s, {
        "Model emulated": "CAS price scale (ER-type ECR protocol, build with DC3), answering DC3",
        "Line settings": "9600 8N1 (the CAS firmware default [S20])",
        "Variant": "DC3 replies: the three DC2 blocks and a fourth block with the PLU number "
                   "(5 characters, leading spaces)",
        "Source": "DC3 block order and the PLU field from the CAS firmware commErInterpreter / "
                  "commErSendPluNumber [S20]; " + SYNTH_NOTE,
        "Why": "the fourth block: PLU 0 (none called up), 12, 345 and 99999, with totals and "
               "unit prices in fen",
        "Odd": "the CAS source marks DC3 as made for the Greek market, where prices are in "
               "euro; this capture uses yuan prices as a Chinese stall would configure them",
    }


def cap_cas_units(rng):
    s = Stream()
    # lb, two decimals; DC1 and DC2 (unit price per lb: decoded total only).
    for _ in range(2):
        s.polled(dc1(weight_payload(0, 2, b"lb")))
    s.polled(dc1(weight_payload(180, 2, b"lb", stable=False)))
    for _ in range(3):
        s.polled(dc1(weight_payload(250, 2, b"lb")))                  # 2.50 lb
    for _ in range(3):
        s.polled(dc2(price_payload(1500), weight_payload(250, 2, b"lb"),
                     price_payload(600)))                              # 2.50 lb at 6.00/lb
    s.polled(dc1(weight_payload(5000, 3, b"lb")))                      # 5.000 lb, .5 mg
    # oz, one and two decimals.
    for _ in range(3):
        s.polled(dc1(weight_payload(352, 1, b"oz")))                   # 35.2 oz
    s.polled(dc1(weight_payload(100, 2, b"oz")))                       # 1.00 oz
    # grams, sent as ' g' (space, g), no decimals and one decimal.
    for _ in range(3):
        s.polled(dc1(weight_payload(1234, 0, b" g")))                  # 1234 g
    s.polled(dc1(weight_payload(5005, 1, b" g", stable=False)))        # 500.5 g
    for _ in range(2):
        s.polled(dc2(price_payload(617), weight_payload(1234, 0, b" g"),
                     price_payload(50)))                               # 0.50 per 100 g
    s.polled(dc1(weight_payload(12, 0, b" g", negative=True)))         # -12 g
    for _ in range(2):
        s.polled(dc1(weight_payload(0, 0, b" g")))
    return s, {
        "Model emulated": "CAS price scale (ER-type ECR protocol) set to lb, oz and g",
        "Line settings": "9600 8N1 (the CAS firmware default [S20])",
        "Variant": "DC1 and DC2 replies with the CAS unit strings 'lb', 'oz' and ' g' "
                   "(space, g); BCC by reading A",
        "Source": "unit table {'kg','lb','oz',' g'} of the CAS firmware [S20] and the CAS "
                  "SW-II manual [S21]; " + SYNTH_NOTE,
        "Why": "every CAS unit besides kg: 2.50 lb = 1133980.925 mg -> 1133981, 5.000 lb = "
               "2267961.85 mg -> 2267962, 35.2 oz = 997903.214 mg -> 997903, 1.00 oz -> 28350, "
               "1234 g, 500.5 g, -12 g; DC2 replies in lb and g carry total_fen but no "
               "unit_price_fen (a per-kg price would not be exact or its basis is unknown)",
        "Odd": "the unit price basis of the DC2 replies in g is not documented (per g, per "
               "100 g?); the decoder omits it, which is the point",
    }


def cap_aclas_units(rng):
    s = Stream()
    # KG upper case, five-character weight field (Aclas sends 5 or 6 characters [S24]).
    for _ in range(2):
        s.polled(dc1(weight_payload(0, 3, b"KG", width=5)))
    for _ in range(3):
        s.polled(dc1(weight_payload(1234, 3, b"KG", width=5)))         # 1.234 KG
    # SJ (shi jin, 500 g): weight and DC2 with a per-jin price, doubled to per kg.
    jin_price = 625                                                    # 6.25 yuan per jin
    s.polled(dc1(weight_payload(1800, 3, b"SJ", stable=False, width=5)))
    for _ in range(3):
        s.polled(dc1(weight_payload(2468, 3, b"SJ", width=5)))         # 2.468 jin = 1.234 kg
    for _ in range(4):
        s.polled(dc2(price_payload(total_fen(2468, jin_price)),
                     weight_payload(2468, 3, b"SJ", width=5),
                     price_payload(jin_price)))                        # 15.43 yuan, 1250 fen/kg
    s.polled(dc2(price_payload(total_fen(2468, 999)),
                 weight_payload(2468, 3, b"SJ", width=5),
                 price_payload(999)))                                  # 9.99/jin -> 19.98/kg
    # TJ (Taiwan catty, 600 g): total reported, unit price not (not exact per kg).
    for _ in range(3):
        s.polled(dc2(price_payload(total_fen(2057, 4000)),
                     weight_payload(2057, 3, b"TJ", width=5),
                     price_payload(4000)))                             # 2.057 TJ = 1.2342 kg
    # TL (Taiwan tael, 37.5 g).
    for _ in range(3):
        s.polled(dc1(weight_payload(329, 1, b"TL", width=5)))          # 32.9 TL = 1233.75 g
    # G, one letter, 6-character field.
    for _ in range(3):
        s.polled(dc1(weight_payload(1234, 0, b"G")))                   # 1234 G
    s.polled(dc1(weight_payload(25, 0, b"G", negative=True, stable=False)))
    # LB upper case.
    for _ in range(3):
        s.polled(dc1(weight_payload(272, 2, b"LB", width=5)))          # 2.72 LB
    for _ in range(2):
        s.polled(dc1(weight_payload(0, 3, b"KG", width=5)))
    return s, {
        "Model emulated": "Aclas counter scale (OS2 family) answering the CAS-style ENQ/DC1 exchange",
        "Line settings": "9600 8N1 (assumed, as for CAS [S22])",
        "Variant": "Aclas unit strings 'KG', 'LB', 'G' (one letter), 'SJ' (shi jin), 'TJ' "
                   "(Taiwan catty), 'TL' (Taiwan tael); weight fields of 5 characters (and "
                   "6 with 'G'); BCC by reading A",
        "Source": "reply fields, unit strings and BCC from the Aclas Android scale driver "
                  "AclasScale.java [S24]; DC2 block order from [S20]; " + SYNTH_NOTE,
        "Why": "every Aclas unit: 2.468 SJ = 1234000 mg with a per-jin unit price of 6.25 "
               "reported as 1250 fen/kg (doubled) and 9.99/jin as 1998; 2.057 TJ = 1234200 mg "
               "with total but no unit price; 32.9 TL = 1233750 mg; 1234 G; -25 G; 2.72 LB = "
               "1233771 mg; KG in upper case",
        "Odd": "[S24] documents Aclas's DC1 reply; that Aclas answers DC2 with the CAS block "
               "order is assumed here. Unit letters are matched case-insensitively",
    }


def cap_overload(rng):
    s = Stream()
    for _ in range(3):
        s.polled(dc1(kg_payload(29870)))                               # 29.870 kg
    s.polled(dc1(kg_payload(30015, stable=False)))
    # CAS overload: SIGN and weight filled with seven 'F' [S20], STA still S/U.
    for _ in range(3):
        s.polled(dc1(weight_payload(0, overload=True, stable=False)))
    for _ in range(2):
        s.polled(dc1(weight_payload(0, overload=True, stable=True)))
    # DC2 while overloaded: total price filled with 'F' too (omitted), unit price numeric.
    for _ in range(3):
        s.polled(dc2(b"FFFFFFFF", weight_payload(0, overload=True, stable=True),
                     price_payload(1250)))
    for g in motion_path(rng, 31000, 0, 3):
        s.polled(dc1(kg_payload(g, stable=False)))
    # Negative: the pan lifted off with a zero captured under load.
    for _ in range(3):
        s.polled(dc1(kg_payload(-150)))                                # -0.150 kg
    for _ in range(2):
        s.polled(dc1(kg_payload(0)))
    # Aclas: STA 'F' = weight abnormal [S24].
    for _ in range(3):
        s.polled(dc1(weight_payload(0, 3, b"KG", sta=b"F", width=5)))
    # Ohaus: 'F' as the sign of an overflowing reading [S23]; digits as shown.
    for _ in range(2):
        s.polled(dc1(b"SF" + number_field(30550, 3, 6) + b"kg"))
    for _ in range(3):
        s.polled(dc1(kg_payload(0)))
    return s, {
        "Model emulated": "CAS price scale (30 kg capacity) overloaded and below zero; Aclas "
                          "and Ohaus overflow states",
        "Line settings": "9600 8N1 (the CAS firmware default [S20])",
        "Variant": "DC1 and DC2 replies; CAS overload fill (STA, then seven 'F' for SIGN and "
                   "weight, then 'kg'); total price block 'FFFFFFFF'; Aclas STA 'F'; Ohaus "
                   "SIGN 'F'",
        "Source": "overload fill of weight and price fields from the CAS firmware "
                  "commErSendWeight and its comments [S20]; Aclas STA 'F' from [S24]; Ohaus "
                  "'F' sign from [S23]; " + SYNTH_NOTE,
        "Why": "state frames: weight_mg 0, stable false, overload true whatever STA says; a "
               "DC2 overload reply keeps no total (not numeric) and no unit price (the weight "
               "block is not read, so its unit is unknown); negative stable readings",
        "Odd": "the CAS overload fill keeps STA = S on some frames (the firmware writes STA "
               "from the stability flag before the fill); the decoder reports them unstable. "
               "What digits Ohaus sends after its 'F' sign is not documented; 30.550 is a guess",
    }


def find_weight(start, unit, decimals, wanted, width=6):
    """Display steps whose weight block has the BCC `wanted`."""
    v = start
    while xor_of(weight_payload(v, decimals, unit, width=width)) != wanted:
        v += 1
    return v


def find_total(start, unit_price, wanted):
    """Grams whose DC2 total price block at `unit_price` has the BCC `wanted`."""
    g = start
    while xor_of(price_payload(total_fen(g, unit_price))) != wanted:
        g += 1
    return g


def cap_bcc_quirks(rng):
    s = Stream()
    price = 1250

    def priced(grams, bccs=(None, None, None)):
        return dc2(price_payload(total_fen(grams, price)), kg_payload(grams),
                   price_payload(price), bccs)

    for _ in range(3):
        s.polled(dc1(kg_payload(1234)))
    # 1. A DC2 whose total price block has BCC 0x03, the value of ETX: the block ends in
    #    two 0x03 bytes and rule 2 must look past the first.
    t3 = find_total(1000, price, ETX)
    for _ in range(4):
        s.polled(priced(t3))
    # 2. An Aclas weight block with BCC 0x03 (one-letter unit, five-character field).
    #    A CAS weight block never has a BCC of 0x03 (SPEC.md section 5.3).
    g3 = find_weight(100, b"G", 0, ETX, width=5)
    for _ in range(3):
        s.polled(dc1(weight_payload(g3, 0, b"G", width=5)))
    # 3. Reading B on the first block: the BCC also takes in SOH (A XOR 0x01) [S23].
    for _ in range(4):
        w = kg_payload(1234)
        s.polled(dc1(w, bcc=xor_of(w) ^ 0x01))                         # BCC 0x74
    for _ in range(3):
        t = price_payload(total_fen(1234, price))
        s.polled(priced(1234, bccs=(xor_of(t) ^ 0x01, None, None)))
    # 4. BCCs equal to ACK (0x06) and EOT (0x04): inside a block they are BCCs. The CAS
    #    overload fill in oz with STA U has BCC 0x06 (SPEC.md section 5.3).
    t6 = find_total(t3 + 1, price, ACK)
    for _ in range(3):
        s.polled(priced(t6))
    t4 = find_total(t3 + 1, price, EOT)
    for _ in range(2):
        s.polled(priced(t4))
    for _ in range(2):
        s.polled(dc1(weight_payload(0, 1, b"oz", stable=False, overload=True)))
    # 5. Reading B on the second block (the weight block of a DC2) is not accepted: the
    #    reply cannot be delimited, one error line at its SOH, and the next poll decodes.
    w = kg_payload(1234)
    s.quiet(bytes([ACK]))
    s.bad(priced(1234, bccs=(None, xor_of(w) ^ 0x01, None)), candidate_at=(0,))
    for _ in range(3):
        s.polled(priced(1234))
    for _ in range(2):
        s.polled(dc1(kg_payload(0)))
    return s, {
        "Model emulated": "CAS price scale (ER-type ECR protocol) and an Aclas scale, plus a "
                          "hypothetical emitter using BCC reading B",
        "Line settings": "9600 8N1 (the CAS firmware default [S20])",
        "Variant": "DC1 and DC2 replies; BCC by reading A except where stated",
        "Source": "BCC reading A from [S20], [S22], [S24]; reading B ('all characters except "
                  "STX and ETX', which over a DC1 reply takes in SOH) from [S23]; " + SYNTH_NOTE,
        "Why": "the BCC rules: a total price block (%d.%03d kg at 12.50 = %d.%02d yuan) and an "
               "Aclas weight block (%d G) whose BCC is 0x03, so that two 0x03 bytes end the "
               "block; reading B (A XOR 0x01) accepted on the first block of DC1 and DC2 "
               "replies; BCCs equal to ACK (total %d.%02d yuan; a CAS overload fill in oz with "
               "STA U) and to EOT (total %d.%02d yuan); reading B on a second block refused"
               % (t3 // 1000, t3 % 1000, total_fen(t3, price) // 100, total_fen(t3, price) % 100,
                  g3, total_fen(t6, price) // 100, total_fen(t6, price) % 100,
                  total_fen(t4, price) // 100, total_fen(t4, price) % 100),
        "Odd": "no captured device has been seen to send reading B (fact sheet 7.4); the "
               "reading-B replies here are there to pin the decoder's choice",
    }


def cap_ack_nak_comma(rng):
    s = Stream()

    def put(grams, unit_price, stable=True, point=b","):
        total = total_fen(max(grams, 0), unit_price)
        return dc2(price_payload(total, point), kg_payload(grams, stable),
                   price_payload(unit_price, point))

    price = 1250
    for _ in range(3):
        s.polled(put(0, price))
    # Not ready: NAK answers ENQ and the host asks again [S22], [S23].
    s.quiet(bytes([NAK]))
    s.polled(put(500, price, stable=False))
    s.quiet(bytes([NAK, NAK]))
    s.polled(put(980, price, stable=False))
    for _ in range(6):
        s.polled(put(1000, price))                                     # 12,50 yuan
    # A host that sends ENQ twice: two ACKs, then the reply.
    s.quiet(bytes([ACK]))
    s.polled(put(1000, price))
    # An unknown command after ACK is answered with NAK in command-key builds [S20].
    s.quiet(bytes([ACK, NAK]))
    s.polled(put(1000, price))
    for g in motion_path(rng, 1000, 0, 3):
        s.polled(put(g, price, stable=False))
    for _ in range(3):
        s.polled(put(0, price))
    # The same scale with the dot as separator again, DC1 in between.
    s.polled(dc1(kg_payload(0)))
    s.polled(put(0, price, point=b"."))
    s.quiet(bytes([ACK, ACK]))             # the file ends on enquiries nobody followed up
    return s, {
        "Model emulated": "CAS price scale (ER-type ECR protocol) with the price dot character "
                          "set to ',' and a host that meets NAK",
        "Line settings": "9600 8N1 (the CAS firmware default [S20])",
        "Variant": "DC2 replies whose price fields use ',' as the decimal separator (one DC2 "
                   "with '.'); ACK and NAK bytes between replies",
        "Source": "configurable price dot character (SaleData.priceDotChar) and the NAK for an "
                  "unknown command from the CAS firmware [S20]; NAK as 'not ready' from [S22] "
                  "and [S23]; " + SYNTH_NOTE,
        "Why": "rule 1 (ACK and NAK skipped silently, whatever their number and place "
               "between replies) and rule 6 (',' accepted as the decimal separator: '   12,50' "
               "is 1250 fen)",
        "Odd": "NAK, NAK NAK, ACK ACK, ACK NAK sequences before replies; the file ends with "
               "two ACKs and no reply, which produce no output",
    }


def cap_noisy(rng):
    s = Stream()

    def good(grams, stable=True):
        s.polled(dc1(kg_payload(grams, stable)))

    # 1. The file starts in the middle of a reply (its last 8 bytes).
    s.bad(dc1(kg_payload(1234))[-8:])
    for _ in range(4):
        good(0)
    for g in (412, 1020, 1198):
        good(g, stable=False)
    # 2. Injected garbage between two replies (host bytes echoed, text, NUL).
    s.bad(b"\x11\x13~noise\x00")
    for _ in range(4):
        good(1234)
    # 3. A reply with a corrupted BCC (not the reading-B value).
    w = kg_payload(1234)
    s.quiet(bytes([ACK]))
    s.bad(dc1(w, bcc=xor_of(w) ^ 0x40), candidate_at=(0,))
    for _ in range(3):
        good(1234)
    # 4. A torn reply: the first 9 bytes, then the next poll's ACK and whole reply.
    s.quiet(bytes([ACK]))
    s.bad(dc1(kg_payload(1234))[:9], candidate_at=(0,))
    for _ in range(3):
        good(1234)
    # 5. A burst as seen at a wrong baud rate (no SOH, ACK or NAK in it).
    junk = bytes(rng.choice((0xFF, 0x00, 0x80, 0xF8, 0xFE, 0xE0, 0x9C, 0x86))
                 for _ in range(40))
    s.bad(junk)
    for _ in range(3):
        good(1234)
    # 6. A delimited reply with two blocks (rule 3: no such reply): one error line.
    s.quiet(bytes([ACK]))
    s.refused(reply(block(price_payload(1543)), block(kg_payload(1234))))
    for _ in range(2):
        good(1234)
    # 7. A delimited reply in a unit that is not a mass (rule 5): one error line.
    s.quiet(bytes([ACK]))
    s.refused(dc1(weight_payload(12, 0, b"PC")))
    for _ in range(2):
        good(1234)
    # 8. An SOH not followed by STX inside garbage, with an ACK inside the run.
    s.bad(b"\x01x")
    s.quiet(bytes([ACK]))
    s.bad(b"\xff")
    for g in (800, 0):
        good(g, stable=g == 0)
    for _ in range(3):
        good(0)
    # 9. The file ends in the middle of a reply.
    s.quiet(bytes([ACK]))
    s.bad(dc1(kg_payload(0))[:11], candidate_at=(0,))
    return s, {
        "Model emulated": "CAS price scale (ER-type ECR protocol) on a noisy line",
        "Line settings": "9600 8N1 (assumed), with a burst received at a wrong baud rate",
        "Variant": "DC1 replies in kg, each after its ACK",
        "Source": "reply layout from [S20]; noise patterns from the fact sheet section 9.2 "
                  "(wrong-baud bytes 0xFF/0x00/0x80/0xF8); " + SYNTH_NOTE,
        "Why": "resynchronisation and the error-line policy: leading half reply, injected "
               "garbage, a corrupted BCC, a torn reply, a wrong-baud burst, a two-block reply "
               "(rule 3), a reply in 'PC' (rule 5), an SOH without STX with an ACK inside the "
               "garbage run, and a truncated reply at end of file",
        "Odd": "everything; every fault is separated from the next by good replies, so each "
               "yields exactly one error line",
    }


CAPTURES = [
    ("cas-dc1-kg-session", cap_cas_dc1_kg),
    ("cas-dc2-prices", cap_cas_dc2_prices),
    ("cas-dc3-plu", cap_cas_dc3_plu),
    ("cas-units-lb-oz-g", cap_cas_units),
    ("aclas-units", cap_aclas_units),
    ("overload-states", cap_overload),
    ("bcc-quirks", cap_bcc_quirks),
    ("ack-nak-comma-price", cap_ack_nak_comma),
    ("noisy-line", cap_noisy),
]

def main():
    write_captures(CAPTURES, SEED, SYNTH_DATE, SYNTH_NOTE, OUT_DIR, name_width=24,
                   check=Stream.check_candidates)


if __name__ == "__main__":
    main()
