# SPDX-License-Identifier: GPL-2.0
#
# pcinspect: out-of-tree module, reader and test bed.
#   make                    build the module for KDIR (default: running kernel)
#   make demo               boot a Debian kernel in QEMU and show pcinspect at work
#   make check              the whole test suite (every kernel, in VMs)
#   make vm-shell K=6.12    interactive shell in a guest with the module loaded
#   make bench              per-file benchmark against cachestat, fincore...
#   make bench-files        system-wide listing against fincore and vmtouch
# See README.md.

KDIR ?= /lib/modules/$(shell uname -r)/build
PWD := $(CURDIR)
PCINSPECT_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(PWD)/dkms.conf)

all: modules

# The probes run against KDIR before kbuild sees the sources: a kernel that
# pcinspect cannot support stops the build here with a clear message.
generated/pcinspect_config.h: FORCE
	@bash $(PWD)/scripts/probe-kernel.sh "$(KDIR)" $@ "$(PCINSPECT_VERSION)" $(PROBE_ARGS)

modules: generated/pcinspect_config.h
	$(MAKE) -C $(KDIR) M=$(PWD) modules

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(PWD) modules_install

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || true
	rm -rf generated probes.tmp
	$(MAKE) -C selftests clean
	$(MAKE) -C userspace clean

selftests:
	$(MAKE) -C selftests

userspace:
	$(MAKE) -C userspace

demo:
	bash scripts/demo.sh $(K)

check:
	bash scripts/check.sh $(K)

vm-shell:
	bash scripts/vm-shell.sh $(or $(K),6.12)

bench:
	bash scripts/bench.sh $(or $(K),6.12)

bench-files:
	bash bench/bench_files.sh $(or $(K),6.12)

checkpatch:
	bash scripts/checkpatch.sh

.PHONY: all modules modules_install clean selftests userspace demo check \
	vm-shell bench bench-files checkpatch FORCE
FORCE:
