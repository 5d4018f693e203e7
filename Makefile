# SPDX-License-Identifier: GPL-2.0
#
# pcinspect: out-of-tree module, reader and test bed.
#   make                    build the module for KDIR (default: running kernel)
#   make demo               boot a Debian kernel in QEMU and show pcinspect at work
#   make check              the whole test suite (every kernel, in VMs)
#   make vm-shell K=6.12    interactive shell in a guest with the module loaded
#   make bench              per-file benchmark against cachestat, fincore...
#   make bench-files        system-wide listing against fincore and vmtouch
#   make bench-reader       pcinspect file (named, -R) against fincore, vmtouch
#   make bench-lru bench-reader          LRU walk cost and longest lru_lock hold
#   make bench-churn        LRU walks of 1 GiB lists under reclaim (M=MiB)
#   make stress K=6.12      the stress selftest for 10 minutes (S=seconds)
#   make dist               dist/pcinspect-VERSION.tar.gz, the DKMS source tree
#   make dkms-install       as root: register, build and install with dkms
#   make dkms-remove        as root: remove it from dkms and /usr/src
#   make deb                dist/pcinspect-dkms_*.deb and dist/pcinspect_*.deb
# See README.md.

KDIR ?= /lib/modules/$(shell uname -r)/build
PWD := $(CURDIR)
# The one version of the project: dkms.conf's PACKAGE_VERSION.
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

# dkms runs "make clean" in a tree that has only the module's sources.
clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || true
	rm -rf generated probes.tmp
	$(if $(wildcard selftests/Makefile),$(MAKE) -C selftests clean)
	$(if $(wildcard userspace/Makefile),$(MAKE) -C userspace clean)

# --- DKMS ------------------------------------------------------------------
# What /usr/src/pcinspect-VERSION holds: only what the module build needs.
# `make dist`, `make dkms-install` and the pcinspect-dkms package all
# install this same list.
DKMS_FILES := Makefile Kbuild dkms.conf README.md scripts/probe-kernel.sh \
	$(sort $(wildcard module/*.c module/*.h module/probes/*.c))
DKMS_SRC ?= $(DESTDIR)/usr/src/pcinspect-$(PCINSPECT_VERSION)
DKMS ?= dkms
# e.g. --dkmstree/--sourcetree/--installtree to work in a private root.
DKMS_FLAGS ?=
KVER ?= $(shell uname -r)

dkms-src:
	@for f in $(DKMS_FILES); do \
		install -D -m 0644 $$f $(DKMS_SRC)/$$f || exit 1; \
	done

# A reproducible tarball: extract it into /usr/src and "dkms add" it.
dist:
	rm -rf dist/pcinspect-$(PCINSPECT_VERSION)
	$(MAKE) -s dkms-src DKMS_SRC=$(PWD)/dist/pcinspect-$(PCINSPECT_VERSION)
	tar -C dist --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime=@$(shell git log -1 --format=%ct 2>/dev/null || echo 0) \
		-cf - pcinspect-$(PCINSPECT_VERSION) | \
		gzip -n9 >dist/pcinspect-$(PCINSPECT_VERSION).tar.gz
	rm -rf dist/pcinspect-$(PCINSPECT_VERSION)
	@echo dist/pcinspect-$(PCINSPECT_VERSION).tar.gz

# A fresh copy of the sources (no stale probe from an older tree), then
# dkms install, which builds first; KVER= another installed kernel.
dkms-install:
	rm -rf $(DKMS_SRC)
	$(MAKE) -s dkms-src
	$(DKMS) status -m pcinspect -v $(PCINSPECT_VERSION) $(DKMS_FLAGS) | \
		grep -q . || $(DKMS) add -m pcinspect -v $(PCINSPECT_VERSION) $(DKMS_FLAGS)
	$(DKMS) install -m pcinspect -v $(PCINSPECT_VERSION) -k $(KVER) $(DKMS_FLAGS)

dkms-remove:
	! $(DKMS) status -m pcinspect -v $(PCINSPECT_VERSION) $(DKMS_FLAGS) | \
		grep -q . || $(DKMS) remove -m pcinspect -v $(PCINSPECT_VERSION) \
		--all $(DKMS_FLAGS)
	rm -rf $(DKMS_SRC)

deb:
	bash scripts/make-deb.sh

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

bench-reader:
	bash bench/bench_reader.sh $(or $(K),6.12)

bench-lru:
	bash bench/bench_lru.sh $(or $(K),6.12)

bench-churn:
	bash bench/bench_churn.sh $(or $(K),6.12) $(or $(M),1024)

# The stress test at full length (S seconds, default 600) in one guest.
stress:
	bash scripts/stress.sh $(or $(K),6.12) $(or $(S),600)

checkpatch:
	bash scripts/checkpatch.sh

.PHONY: all modules modules_install clean selftests userspace demo check \
	vm-shell bench bench-files bench-reader bench-lru bench-churn stress checkpatch dkms-src dist dkms-install \
	dkms-remove deb FORCE
FORCE:
