# SPDX-License-Identifier: GPL-2.0
#
# napt top-level Makefile.
#
#   make            module for every installed kernel + tools
#   make module     module only (KVERS="a b" to choose kernels)
#   make tools      natctl, igdd, the traversal helpers
#   make unit       userspace unit tests of the kernel code
#   make check      everything: build, unit tests, VM selftests on all kernels
#                   (on the debug kernel: the hostile-input and life-cycle ones)
#   make check-debug every VM selftest on the debug kernel only
#   make debug-kernel  build (or find cached) the debug kernel
#   make demo       demo gateway in a VM
#   make deps       install the Debian packages needed (as root)
#   make fuzz       libFuzzer harnesses of igdd's parsers (FUZZ_TIME=s each)
#   make traversal  the NAT-traversal matrix (VM), Documentation/traversal.md
#   make bench      benchmarks (VM + callgrind), Documentation/performance.md
#   make install    install napt.ko for the running kernel, natctl, igdd
#   make deb        Debian packages napt-dkms, napt-tools in build/deb/
#                   (dist/mkdeb.sh; scripts/deb-check.sh tests them)

KVERS ?= $(shell scripts/kernels.sh)
BUILD := $(CURDIR)/build
KSRC := $(wildcard $(CURDIR)/kmod/*.c $(CURDIR)/kmod/*.h $(CURDIR)/kmod/Kbuild)

.PHONY: all module tools unit check check-debug debug-kernel module-debug demo deps install clean vmtest fuzz traversal bench deb

all: module tools

# KDIR: the kernel build tree (default: /lib/modules/KVER/build)
module:
	@set -e; for k in $(KVERS); do \
		mkdir -p $(BUILD)/$$k; \
		for f in $(KSRC); do ln -sf $$f $(BUILD)/$$k/; done; \
		echo "  MODULE  $$k"; \
		$(MAKE) -C $${KDIR:-/lib/modules/$$k/build} M=$(BUILD)/$$k \
			NAPT_UAPI=$(CURDIR)/uapi W=1 modules; \
	done

debug-kernel:
	scripts/debug-kernel.sh

# napt.ko for the debug kernel (build/KVER-napt-debug/napt.ko)
module-debug: debug-kernel
	@$(MAKE) --no-print-directory module \
		KVERS="$$(scripts/debug-kernel.sh --kver)" \
		KDIR="$$(scripts/debug-kernel.sh)/build"

TOOLDIRS := tools/natctl tools/igdd tools/traversal

tools:
	@set -e; for d in $(TOOLDIRS); do $(MAKE) -C $$d; done

fuzz:
	$(MAKE) -C tools/igdd fuzz

traversal:
	scripts/traversal.sh

bench:
	scripts/bench.sh

unit:
	$(MAKE) -C bench check
	$(MAKE) -C tests/unit run

deps:
	scripts/deps.sh

check:
	scripts/check.sh

check-debug:
	CHECK_DEBUG=all KVERS=none scripts/check.sh

demo:
	scripts/demo.sh

deb:
	dist/mkdeb.sh

install: all
	$(MAKE) -C /lib/modules/$(shell uname -r)/build M=$(BUILD)/$(shell uname -r) modules_install
	depmod -a $(shell uname -r)
	@set -e; for d in $(TOOLDIRS); do $(MAKE) -C $$d install; done

clean:
	rm -rf $(BUILD)
	@for d in $(TOOLDIRS); do $(MAKE) -C $$d clean; done
	-$(MAKE) -C tests/unit clean
