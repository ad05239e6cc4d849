# Stallbox: build, test and demo. See README.md.
#
#   make build          swift build (debug)
#   make test           Debian packages, golden checks, then the Swift test suites (real-time suites last, alone)
#   make demo           the whole path end to end on this machine (scripts/demo.sh)
#   make check-goldens  the protocol reference tools agree with the committed goldens/vectors
#   make faults         the ledger and uplink fault tests, short (scripts/faults: kill -9 x100, upstream faults, storage)
#   make faults-long    the same, long: 1000 kills, 500 link flaps, 5 minutes of upstream faults
#   make fuzz           libFuzzer on the scale decoders, FUZZ_SECONDS (60) each (scripts/fuzz.sh, Fuzz/README.md)
#   make deps           install (as root) or list the Debian packages needed
#   make clean          remove build products and demo output

SWIFT   ?= swift
PYTHON3 ?= python3
# Suites whose assertions are real-time targets (detection within 5 s, replug within 2 s,
# scale timing over pseudo-terminals): run on their own after the rest, so that the
# CPU-heavy suites running in parallel on a 2-core box cannot starve them.
REALTIME_SUITES = AutoDetectionTests|HotplugTests|SpeakerEndToEndTests|TTSModuleSpeakerTests

.PHONY: all build test demo check-goldens deps clean fuzz faults faults-long

all: build

build:
	$(SWIFT) build

deps:
	scripts/install-deps.sh

# Sequential on purpose (not prerequisites): under `make -j` the packages must be in place
# before python3 runs the golden checks and before SwiftPM looks for libudev and alsa.
test:
	scripts/install-deps.sh
	$(MAKE) --no-print-directory check-goldens
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip '$(REALTIME_SUITES)'
	$(SWIFT) test --filter '$(REALTIME_SUITES)'
	$(MAKE) --no-print-directory faults

# Each script starts its own receiver and daemon in a temporary directory (scripts/faults/rig.py).
FAULT_PYTHON ?= /usr/bin/python3
faults:
	$(SWIFT) build
	STALLBOX_BIN="$$($(SWIFT) build --show-bin-path)" $(FAULT_PYTHON) scripts/faults/kill9.py
	STALLBOX_BIN="$$($(SWIFT) build --show-bin-path)" $(FAULT_PYTHON) scripts/faults/upstream.py
	STALLBOX_BIN="$$($(SWIFT) build --show-bin-path)" $(FAULT_PYTHON) scripts/faults/storage.py

faults-long:
	$(MAKE) --no-print-directory faults ROUNDS=1000 FLAPS=500 FAULT_SECONDS=300

check-goldens:
	$(PYTHON3) firmware-protocols/toledo-continuous/tools/check_reference.py
	$(PYTHON3) firmware-protocols/toledo-8217/tools/check_reference.py
	$(PYTHON3) firmware-protocols/mt-sics/tools/check_reference.py
	$(PYTHON3) firmware-protocols/ad-st/tools/check_reference.py
	$(PYTHON3) firmware-protocols/cas-dc1/tools/check_reference.py
	$(PYTHON3) firmware-protocols/yaohua-a23p/tools/check_reference.py
	$(PYTHON3) firmware-protocols/uart-tts/tools/check_reference.py
	$(PYTHON3) firmware-protocols/upstream/tools/make_vectors.py --check

demo:
	scripts/demo.sh

fuzz:
	SWIFT="$(SWIFT)" scripts/fuzz.sh

clean:
	$(SWIFT) package clean
	rm -rf demo
