// SPDX-License-Identifier: GPL-2.0
/*
 * The walk's out-of-line helpers (walk.c) compiled again for
 * pcinspect_walk_test.ko: kbuild links an object into one module only.
 */
#include "walk.c"
