# SPDX-License-Identifier: GPL-2.0
#
# napt top-level Makefile.
#
#   make            module for every installed kernel + tools
#   make module     module only (KVERS="a b" to choose kernels)
#   make tools      natctl, igdd, the traversal helpers
#   make unit       userspace unit tests of the kernel code
#   make check      everything: build, unit tests, VM selftests on all kernels
#   make demo       demo gateway in a VM
#   make deps       install the Debian packages needed (as root)
#   make fuzz       libFuzzer harnesses of igdd's parsers (FUZZ_TIME=s each)
#   make traversal  the NAT-traversal matrix (VM), Documentation/traversal.md
#   make bench      benchmarks (VM + callgrind), Documentation/performance.md
#   make install    install napt.ko for the running kernel, natctl, igdd

KVERS ?= $(shell scripts/kernels.sh)
BUILD := $(CURDIR)/build
KSRC := $(wildcard $(CURDIR)/kmod/*.c $(CURDIR)/kmod/*.h $(CURDIR)/kmod/Kbuild)

.PHONY: all module tools unit check demo deps install clean vmtest fuzz traversal bench

all: module tools

module:
	@set -e; for k in $(KVERS); do \
		mkdir -p $(BUILD)/$$k; \
		for f in $(KSRC); do ln -sf $$f $(BUILD)/$$k/; done; \
		echo "  MODULE  $$k"; \
		$(MAKE) -C /lib/modules/$$k/build M=$(BUILD)/$$k \
			NAPT_UAPI=$(CURDIR)/uapi W=1 modules; \
	done

TOOLDIRS := tools/natctl $(patsubst %/Makefile,%,$(wildcard tools/igdd/Makefile tools/traversal/Makefile))

tools:
	@set -e; for d in $(TOOLDIRS); do $(MAKE) -C $$d; done

fuzz:
	$(MAKE) -C tools/igdd fuzz

traversal:
	scripts/traversal.sh

bench:
	scripts/bench.sh

unit:
	$(MAKE) -C tests/unit run

deps:
	scripts/deps.sh

check:
	scripts/check.sh

demo:
	scripts/demo.sh

install: all
	$(MAKE) -C /lib/modules/$(shell uname -r)/build M=$(BUILD)/$(shell uname -r) modules_install
	depmod -a $(shell uname -r)
	@set -e; for d in $(TOOLDIRS); do $(MAKE) -C $$d install; done

clean:
	rm -rf $(BUILD)
	@for d in $(TOOLDIRS); do $(MAKE) -C $$d clean; done
	-$(MAKE) -C tests/unit clean
