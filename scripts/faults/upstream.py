#!/usr/bin/python3
"""Upstream trouble (issue 6): killed mid-batch, answering 500/503/429, hanging past the
box's timeouts, answering slowly, losing its replies, and the link flapping FLAPS times
(default 50; `make faults-long`: 500).

Throughout, payments keep arriving. At the end the queue must drain (no stuck queue) and
every acknowledged payment must be upstream exactly once, in a chain that verifies.
"""
import os
import random
import time

from rig import Load, Rig, check, eventually, main


def run():
    flaps = int(os.environ.get("FLAPS", "50"))
    # Half the batches meet a fault; a hang outlasts the box's 3 s request timeout.
    rig = Rig("upstream", upstream_args=["--fault-rate", "0.5", "--hang-seconds", "6"])
    try:
        rig.start()
        load = Load(rig, "u", threads=2, pause=0.02)
        load.start()

        # Faults for a while, with the receiver killed mid-batch now and then.
        deadline = time.monotonic() + float(os.environ.get("FAULT_SECONDS", "40"))
        kills = 0
        while time.monotonic() < deadline:
            time.sleep(random.uniform(1.0, 4.0))
            rig.kill_upstream()
            kills += 1
            rig.start_upstream()
        # Then the link flaps: the receiver vanishes and comes back, FLAPS times.
        rig.kill_upstream()
        rig.upstream_args = []
        rig.start_upstream()
        for number in range(flaps):
            time.sleep(random.uniform(0.05, 0.4))
            rig.kill_upstream()
            time.sleep(random.uniform(0.05, 0.3))
            rig.start_upstream()
        load.stop()
        status = rig.status()["uplink"]
        print("  %d receiver kills, %d flaps; %d payments acknowledged; %d records pending" % (
            kills, flaps, len(load.acknowledged), status["pending"]), flush=True)

        # The link is good again: the backlog must drain promptly.
        started = time.monotonic()
        # A debug-build receiver verifies a few hundred records a second; allow for the backlog.
        records = rig.check_delivered(load.acknowledged, timeout=max(120, status["pending"] / 100))
        print("  drained in %.1f s; %d records upstream verify; every payment once" % (time.monotonic() - started, len(records)))
        log = open(os.path.join(rig.dir, "upstream.log"), errors="replace").read()
        for fault in ["500", "503", "429", "hang", "slow", "lost-reply"]:
            check("fault injected: " + fault in log, "the fault %s was never injected" % fault)
    finally:
        rig.close()


if __name__ == "__main__":
    main(run)
