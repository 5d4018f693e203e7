/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands: one file each (cmd_*.c), each with its options, its
 * columns and its cells; pcinspect.c picks one from the command line.
 */
#ifndef PCR_COMMANDS_H
#define PCR_COMMANDS_H

#include <stdio.h>

#include "file_view.h"

int pcr_cmd_file(int argc, char **argv);
int pcr_cmd_files(int argc, char **argv);
int pcr_cmd_lru(int argc, char **argv);
int pcr_cmd_pid(int argc, char **argv);

void pcr_file_usage(FILE *out);
void pcr_files_usage(FILE *out, const char *cmd);
void pcr_lru_usage(FILE *out);
void pcr_pid_usage(FILE *out);

/* for the unit tests */
int pcr_file_print(const struct pcr_out *o, struct pcr_frow *rows, size_t n,
		   bool map);

#endif /* PCR_COMMANDS_H */
