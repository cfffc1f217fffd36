# SPDX-License-Identifier: GPL-2.0
#
# napt top-level Makefile.
#
#   make            module for every installed kernel + tools
#   make module     module only (KVERS="a b" to choose kernels)
#   make tools      natctl
#   make unit       userspace unit tests of the kernel code
#   make check      everything: build, unit tests, VM selftests on all kernels
#   make demo       demo gateway in a VM
#   make deps       install the Debian packages needed (as root)
#   make install    install napt.ko for the running kernel and natctl

KVERS ?= $(shell scripts/kernels.sh)
BUILD := $(CURDIR)/build
KSRC := $(wildcard $(CURDIR)/kmod/*.c $(CURDIR)/kmod/*.h $(CURDIR)/kmod/Kbuild)

.PHONY: all module tools unit check demo deps install clean vmtest

all: module tools

module:
	@set -e; for k in $(KVERS); do \
		mkdir -p $(BUILD)/$$k; \
		for f in $(KSRC); do ln -sf $$f $(BUILD)/$$k/; done; \
		echo "  MODULE  $$k"; \
		$(MAKE) -C /lib/modules/$$k/build M=$(BUILD)/$$k \
			NAPT_UAPI=$(CURDIR)/uapi W=1 modules; \
	done

tools:
	$(MAKE) -C tools/natctl

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
	$(MAKE) -C tools/natctl install

clean:
	rm -rf $(BUILD)
	$(MAKE) -C tools/natctl clean
	-$(MAKE) -C tests/unit clean
