#!/usr/bin/python3
"""Storage faults (issue 6): a full disk, a corrupted ledger, a key file anyone can read.

- Full disk: the ledger lives on a 4 MiB tmpfs that is then filled to the last byte. A
  payment made meanwhile is still announced at once (its WAV appears), is not acknowledged
  until it is durable, the status shows the write fault and the `ledger_write` alarm;
  when space returns the payment is acknowledged, and everything reaches upstream once.
- Corrupted ledger: garbage over the ledger file while the daemon is stopped. It starts
  within 5 s, moves the file aside, raises `ledger_reset`, and its new chain (a signed
  `reset` continuing from the acknowledged record) is taken by upstream.
- Key file with mode 0644: the daemon refuses to start and says to chmod 600.
Needs root for the tmpfs mount.
"""
import glob
import os
import subprocess
import threading
import time

from rig import Failure, Rig, check, eventually, main


def full_disk():
    if os.geteuid() != 0:
        print("  full disk: skipped (mounting a tmpfs needs root)")
        return
    rig = Rig("disk")
    small = os.path.join(rig.dir, "small")
    os.makedirs(small)
    if subprocess.call(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small]) != 0:
        print("  full disk: skipped (this machine does not allow mounting a tmpfs)")
        rig.close()
        return
    try:
        rig.ledger_dir = small
        rig.pcm = "file:FILE=%s/wav/{label}.wav,FORMAT=wav" % rig.dir
        os.makedirs(os.path.join(rig.dir, "wav"))
        rig.start()
        acknowledged = []
        for n in range(20):
            rig.test_payment("before-%d" % n, 100 + n)
            acknowledged.append("before-%d" % n)

        filler = os.path.join(small, "filler")
        subprocess.run(["dd", "if=/dev/zero", "of=" + filler, "bs=64k"], stderr=subprocess.DEVNULL)
        result = {}

        def pay():
            try:
                result["reply"] = rig.test_payment("during-full", 4242)
            except Exception as error:  # noqa: BLE001 - reported below
                result["error"] = error

        payer = threading.Thread(target=pay)
        payer.start()
        check(eventually(lambda: os.path.exists(os.path.join(rig.dir, "wav/during-full.wav")), 10),
              "the payment made while the disk is full was not announced")
        check(eventually(lambda: rig.status()["ledger"]["write_fault"] is not None, 10), "no write fault on status")
        check(eventually(lambda: any(a["name"] == "ledger_write" for a in rig.status()["alarms"]), 10), "no ledger_write alarm")
        time.sleep(1)
        check("reply" not in result and "error" not in result, "the payment was answered while the disk is full: %s" % result)

        os.unlink(filler)
        payer.join(timeout=30)
        check("reply" in result, "the payment was not acknowledged after space returned: %s" % result)
        acknowledged.append("during-full")
        check(eventually(lambda: not any(a["name"] == "ledger_write" for a in rig.status()["alarms"]), 10), "the alarm stayed up")
        for n in range(5):
            rig.test_payment("after-%d" % n, 500 + n)
            acknowledged.append("after-%d" % n)
        rig.check_delivered(acknowledged)
        print("  full disk: payment announced at once, acknowledged when space returned; nothing lost or doubled")
    finally:
        rig.close()
        subprocess.call(["umount", "-l", small])


def corrupted_ledger():
    rig = Rig("corrupt")
    try:
        rig.start()
        acknowledged = []
        for n in range(200):
            rig.test_payment("old-%d" % n, 100 + n)
            acknowledged.append("old-%d" % n)
        check(rig.wait_drained(60), "did not drain before the damage")
        rig.stop_daemon()

        ledger = os.path.join(rig.dir, "ledger.sqlite")
        size = os.path.getsize(ledger)
        with open(ledger, "r+b") as f:
            f.seek(4096)
            f.write(os.urandom(max(0, size - 4096)))
        started = time.monotonic()
        rig.start_daemon()
        took = time.monotonic() - started
        check(took < 5, "the daemon took %.1f s to start on a damaged ledger" % took)
        alarms = {a["name"]: a["message"] for a in rig.status()["alarms"]}
        check("ledger_reset" in alarms, "no ledger_reset alarm: %s" % alarms)
        check(glob.glob(ledger + ".damaged-*"), "the damaged file was not kept")
        for n in range(20):
            rig.test_payment("new-%d" % n, 100 + n)
            acknowledged.append("new-%d" % n)
        records = rig.check_delivered(acknowledged)
        resets = [r for r in records if r["kind"] == "reset"]
        check(len(resets) == 1 and resets[0]["anchor"] is True, "expected one anchored reset upstream: %s" % resets)
        print("  corrupted ledger: started in %.1f s, moved aside, reset at seq %d taken by upstream" % (took, resets[0]["seq"]))
    finally:
        rig.close()


def unsafe_key():
    rig = Rig("key")
    try:
        rig.start()
        rig.stop_daemon()
        key = os.path.join(rig.dir, "device.key")
        os.chmod(key, 0o644)
        rig.start_daemon(wait=False)
        try:
            code = rig.daemon.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise Failure("the daemon started with a readable key")
        rig.daemon = None
        log = open(os.path.join(rig.dir, "daemon.log"), errors="replace").read()
        check(code != 0 and "chmod 600" in log, "no clear refusal (exit %s): %s" % (code, log[-500:]))
        os.chmod(key, 0o600)
        rig.start_daemon()
        print("  key 0644: refused with exit %d and a chmod 600 hint; starts again at 0600" % code)
    finally:
        rig.close()


def run():
    full_disk()
    corrupted_ledger()
    unsafe_key()


if __name__ == "__main__":
    main(run)
