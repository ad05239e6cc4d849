#!/usr/bin/python3
"""kill -9 of the daemon at random moments under load (issue 6).

ROUNDS times (default 100; `make faults-long`: 1000): payments pour in from four threads
through the diagnostic socket, the daemon is killed with SIGKILL at a random moment, and
started again. Then: every payment the daemon acknowledged is found upstream exactly once,
the upstream chain verifies (no seq reused, no gap, every signature good).
"""
import os
import random
import sys
import time

from rig import Load, Rig, check, main


def run():
    rounds = int(os.environ.get("ROUNDS", "100"))
    rig = Rig("kill9")
    try:
        rig.start()
        acknowledged = []
        for number in range(rounds):
            load = Load(rig, "k%d" % number)
            load.start()
            time.sleep(random.uniform(0.05, 0.6))
            rig.kill_daemon()
            load.stop()
            acknowledged += load.acknowledged
            rig.start_daemon()
            if (number + 1) % 25 == 0:
                print("  %d kills, %d payments acknowledged so far" % (number + 1, len(acknowledged)), flush=True)
        check(len(acknowledged) > rounds, "the load never got through (%d payments)" % len(acknowledged))
        records = rig.check_delivered(acknowledged)
        starts = sum(1 for r in records if r["kind"] == "start")
        check(starts == rounds + 1, "expected %d start records, found %d" % (rounds + 1, starts))
        print("  %d kills; %d acknowledged payments, each upstream once; %d records verify" % (rounds, len(acknowledged), len(records)))
    finally:
        rig.close()


if __name__ == "__main__":
    main(run)
