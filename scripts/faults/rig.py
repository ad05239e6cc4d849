"""A daemon, a reference receiver and a diagnostic-socket client for the fault tests.

Each fault test (scripts/faults/*.py, `make faults`) builds one Rig in a fresh directory:
throwaway TLS certificates, `stallbox-upstream serve` on a free loopback port, and
`stallboxd` with its ledger, key and diagnostic socket in that directory, uploading to
the receiver. Payments are injected with the diagnostic socket's `test-payment`, which
answers only after the payment record is durable: a payment id it returned is one the box
acknowledged, and must reach the receiver exactly once, whatever the test does to the box.

Standard library only; run with /usr/bin/python3.
"""

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def bin_dir():
    configured = os.environ.get("STALLBOX_BIN")
    if configured:
        return configured
    return subprocess.check_output(["swift", "build", "--show-bin-path"], cwd=ROOT, text=True).strip()


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def eventually(predicate, timeout, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except (OSError, ValueError, Failure):
            pass
        time.sleep(interval)
    return False


class Diag:
    """One request per connection: a killed daemon costs one failed call, nothing more."""

    def __init__(self, path):
        self.path = path
        self.next_id = 0
        self.lock = threading.Lock()

    def call(self, cmd, args=None, timeout=10.0):
        with self.lock:
            self.next_id += 1
            request_id = self.next_id
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(self.path)
            sock.sendall((json.dumps({"id": request_id, "cmd": cmd, "args": args or {}}) + "\n").encode())
            data = b""
            while not data.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    raise OSError("connection closed before the reply")
                data += chunk
        finally:
            sock.close()
        reply = json.loads(data)
        if not reply.get("ok"):
            raise Failure("%s failed: %s" % (cmd, reply.get("error")))
        return reply["result"]


class Rig:
    def __init__(self, name, upstream_args=(), uplink_extra="", ledger_dir=None, pcm="null"):
        self.pcm = pcm
        self.bin = bin_dir()
        self.dir = tempfile.mkdtemp(prefix="stallbox-fault-%s-" % name)
        self.ledger_dir = ledger_dir or self.dir
        self.upstream_args = list(upstream_args)
        self.uplink_extra = uplink_extra
        self.upstream = None
        self.daemon = None
        self.port = None
        self.diag = Diag(os.path.join(self.dir, "diag.sock"))
        subprocess.check_call([os.path.join(ROOT, "scripts/make-test-certs.sh"), os.path.join(self.dir, "tls")])

    def start(self):
        """The receiver, the configuration, then the daemon, ready for requests."""
        self.start_upstream()
        self.write_config()
        self.start_daemon()

    # The receiver

    def start_upstream(self):
        port_file = os.path.join(self.dir, "upstream.port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        listen = "127.0.0.1:%d" % (self.port or 0)
        self.upstream = subprocess.Popen(
            [os.path.join(self.bin, "stallbox-upstream"), "serve", "--listen", listen,
             "--cert", os.path.join(self.dir, "tls/server.pem"), "--key", os.path.join(self.dir, "tls/server.key"),
             "--db", os.path.join(self.dir, "upstream.sqlite"), "--hold-seconds", "2", "--port-file", port_file]
            + self.upstream_args,
            stdout=open(os.path.join(self.dir, "upstream.log"), "ab"), stderr=subprocess.STDOUT)
        check(eventually(lambda: os.path.exists(port_file) and open(port_file).read().strip().isdigit(), 30),
              "stallbox-upstream did not start")
        self.port = int(open(port_file).read().strip())

    def kill_upstream(self):
        if self.upstream:
            self.upstream.send_signal(signal.SIGKILL)
            self.upstream.wait()
            self.upstream = None

    # The daemon

    def write_config(self):
        with open(os.path.join(self.dir, "stallbox.toml"), "w") as config:
            config.write("""
[ledger]
path = "%(ledger)s/ledger.sqlite"
key = "%(dir)s/device.key"
housekeeping_s = 1

[hotplug]
watch_udev = false
memory = "%(dir)s/scales.json"

[speaker]
pcm = "%(pcm)s"
voice_pack = "%(root)s/voice-packs/default"

[uplink]
url = "https://127.0.0.1:%(port)d"
ca_file = "%(dir)s/tls/ca.pem"
batch_size = 200
connect_timeout_s = 2
request_timeout_s = 3
backoff_max_s = 2
rejected_backoff_s = 5
%(extra)s

[diag]
socket = "%(dir)s/diag.sock"
""" % {"ledger": self.ledger_dir, "dir": self.dir, "root": ROOT, "port": self.port, "extra": self.uplink_extra,
       "pcm": self.pcm})

    def start_daemon(self, command_prefix=(), wait=True):
        self.daemon = subprocess.Popen(
            list(command_prefix) + [os.path.join(self.bin, "stallboxd"), "--config", os.path.join(self.dir, "stallbox.toml")],
            stdout=open(os.path.join(self.dir, "daemon.log"), "ab"), stderr=subprocess.STDOUT)
        if wait:
            check(eventually(lambda: self.diag.call("identity", timeout=2) is not None, 30),
                  "stallboxd did not start; see %s/daemon.log" % self.dir)

    def kill_daemon(self):
        if self.daemon:
            self.daemon.send_signal(signal.SIGKILL)
            self.daemon.wait()
            self.daemon = None

    def stop_daemon(self):
        if self.daemon:
            self.daemon.send_signal(signal.SIGTERM)
            try:
                self.daemon.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill_daemon()
            self.daemon = None

    def status(self):
        return self.diag.call("status", timeout=5)

    def test_payment(self, payment_id, amount_fen):
        return self.diag.call("test-payment", {"payment_id": payment_id, "amount_fen": amount_fen}, timeout=30)

    # Checks

    def upstream_records(self, device_id):
        out = subprocess.check_output(
            [os.path.join(self.bin, "stallbox-upstream"), "export", "--db", os.path.join(self.dir, "upstream.sqlite"),
             "--device", device_id], text=True)
        path = os.path.join(self.dir, "upstream-export.jsonl")
        with open(path, "w") as f:
            f.write(out)
        return path, [json.loads(line) for line in out.splitlines() if line]

    def verify(self, path, public_key):
        result = subprocess.run(
            [os.path.join(self.bin, "stallbox-upstream"), "verify", path, "--public-key", public_key],
            capture_output=True, text=True)
        return result.returncode, result.stdout + result.stderr

    def wait_drained(self, timeout):
        return eventually(lambda: self.status()["uplink"]["pending"] == 0, timeout, interval=0.5)

    def check_delivered(self, acknowledged, timeout=180):
        """Every acknowledged payment id upstream exactly once; the chain verifies."""
        check(self.wait_drained(timeout), "the queue did not drain: %s" % json.dumps(self.status()["uplink"]))
        identity = self.diag.call("identity")
        path, records = self.upstream_records(identity["device_id"])
        code, output = self.verify(path, identity["public_key"])
        check(code == 0, "the upstream chain does not verify:\n" + output[-3000:])
        seqs = [r["seq"] for r in records]
        check(seqs == list(range(1, len(seqs) + 1)), "seqs upstream are not 1..N")
        counts = {}
        for record in records:
            if record["kind"] == "payment":
                counts[record["payment_id"]] = counts.get(record["payment_id"], 0) + 1
        missing = [p for p in acknowledged if counts.get(p, 0) == 0]
        doubled = [p for p, n in counts.items() if n > 1]
        check(not missing, "%d acknowledged payments never reached upstream, e.g. %s" % (len(missing), missing[:5]))
        check(not doubled, "payments recorded twice upstream: %s" % doubled[:5])
        return records

    def close(self, keep=False):
        self.stop_daemon()
        self.kill_upstream()
        if keep or os.environ.get("STALLBOX_KEEP_TEST_FILES"):
            print("files kept in", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


class Load:
    """Test payments from several threads until stopped; remembers what was acknowledged."""

    def __init__(self, rig, prefix, threads=4, pause=0.0):
        self.pause = pause
        self.rig = rig
        self.prefix = prefix
        self.threads = threads
        self.acknowledged = []
        self.lock = threading.Lock()
        self.running = False
        self.workers = []
        self.counter = 0

    def start(self):
        self.running = True
        self.workers = [threading.Thread(target=self.work, args=(n,), daemon=True) for n in range(self.threads)]
        for worker in self.workers:
            worker.start()

    def work(self, number):
        while self.running:
            with self.lock:
                self.counter += 1
                payment_id = "%s-%d-%d" % (self.prefix, number, self.counter)
            try:
                self.rig.test_payment(payment_id, random.randint(1, 999999))
            except (OSError, ValueError, Failure):
                time.sleep(0.02)
                continue
            with self.lock:
                self.acknowledged.append(payment_id)
            if self.pause:
                time.sleep(self.pause)

    def stop(self):
        self.running = False
        for worker in self.workers:
            worker.join()


def main(body):
    """Runs a fault test; prints PASS/FAIL and exits accordingly."""
    import sys
    name = os.path.basename(sys.argv[0])
    started = time.monotonic()
    try:
        body()
    except Failure as failure:
        print("FAIL %s: %s" % (name, failure))
        sys.exit(1)
    print("PASS %s (%.0f s)" % (name, time.monotonic() - started))
