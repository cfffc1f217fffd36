// SPDX-License-Identifier: GPL-2.0
/*
 * natctl -b FILE: one command a line, as after the global options.
 *
 * Words are separated by blanks. A "#" where a word would start begins
 * a comment, to the end of the line. Double quotes make blanks and "#"
 * part of a word, and "" is an empty word. A backslash makes the next
 * character plain, in quotes or not (\" and \\). A backslash that ends a
 * line joins the next line to it. A command is at most BATCH_LINE_MAX
 * bytes, continuation lines included, and holds no NUL byte.
 *
 * The batch stops at the first command that fails: its error message,
 * printed by whatever reports it, gets "FILE:LINE: " (the command's
 * first line) through error_set_loc(), and its status is the batch's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "natctl.h"
#include "utils.h"

#define BATCH_LINE_MAX 4096

struct batch {
	FILE *f;
	const char *name;		/* for the messages */
	unsigned int lineno;		/* of the last line read */
	char line[BATCH_LINE_MAX + 1];
	size_t len;
	char words[BATCH_LINE_MAX + 1];
	/* a word takes at least a byte and a blank */
	char *argv[BATCH_LINE_MAX / 2 + 2];
};

/* An error in the file itself, at line @lineno of @b. */
static int batch_err(const struct batch *b, unsigned int lineno,
		     const char *what)
{
	error_set_loc(b->name, lineno);
	error("%s", what);
	return EXIT_USAGE;
}

/*
 * Append the next line of @b->f to @b->line, without its newline.
 * Returns 1, 0 at the end of the file (nothing read), or an exit status
 * (reported) once negated.
 */
static int read_line(struct batch *b, unsigned int first)
{
	bool any = false;
	int c;

	while ((c = getc(b->f)) != EOF) {
		if (!any)
			b->lineno++;
		any = true;
		if (c == '\n')
			break;
		if (c == '\0')
			return -batch_err(b, b->lineno, "NUL byte in the line");
		if (b->len == BATCH_LINE_MAX) {
			error_set_loc(b->name, first);
			error("line too long (at most %d bytes)",
			      BATCH_LINE_MAX);
			return -EXIT_USAGE;
		}
		b->line[b->len++] = c;
	}
	if (ferror(b->f)) {
		error_set_loc(b->name, b->lineno);
		error("cannot read: %s", strerror(errno));
		return -EXIT_FAILURE;
	}
	b->line[b->len] = '\0';
	return any;
}

/* An odd number of backslashes at the end of @b->line. */
static bool continued(const struct batch *b)
{
	size_t n = 0;

	while (n < b->len && b->line[b->len - 1 - n] == '\\')
		n++;
	return n % 2;
}

/*
 * The next command into @b->line: *@first gets its first line. Returns
 * 1, 0 at the end of the file, or a negated exit status (reported).
 */
static int read_cmd(struct batch *b, unsigned int *first)
{
	int ret;

	b->len = 0;
	*first = b->lineno + 1;
	ret = read_line(b, *first);
	while (ret == 1 && continued(b)) {
		b->line[b->len - 1] = ' ';
		ret = read_line(b, *first);
		if (!ret)	/* a backslash at the end of the file */
			ret = 1;
	}
	return ret;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * Split @b->line into @b->argv. Returns the number of words, or -1 on
 * an unterminated quote.
 */
static int split(struct batch *b)
{
	const char *p = b->line;
	char *w = b->words;
	bool quoted = false;
	int argc = 0;

	for (;;) {
		while (is_blank(*p))
			p++;
		if (!*p || *p == '#')
			break;
		b->argv[argc++] = w;
		for (; *p && (quoted || !is_blank(*p)); p++) {
			if (*p == '"') {
				quoted = !quoted;
				continue;
			}
			if (*p == '\\' && p[1])
				p++;
			*w++ = *p;
		}
		if (quoted)
			return -1;
		*w++ = '\0';
	}
	b->argv[argc] = NULL;
	return argc;
}

static int run_line(struct natctl *ctl, struct batch *b, unsigned int first,
		    const struct cmd *cmds, size_t n)
{
	int argc, ret;

	argc = split(b);
	if (argc < 0)
		return batch_err(b, first, "unterminated quote");
	if (!argc)
		return EXIT_SUCCESS;
	error_set_loc(b->name, first);
	ret = run_cmd(ctl, NULL, cmds, n, argc, b->argv);
	if (ret == EXIT_SUCCESS)
		error_set_loc(NULL, 0);
	return ret;
}

int batch_run(struct natctl *ctl, const char *file, const struct cmd *cmds,
	      size_t n)
{
	static struct batch b;
	unsigned int first;
	int ret;

	b.name = file;
	if (!strcmp(file, "-")) {
		b.f = stdin;
		b.name = "stdin";
	} else {
		b.f = fopen(file, "r");
		if (!b.f) {
			error("cannot open \"%s\": %s", file, strerror(errno));
			return EXIT_FAILURE;
		}
	}
	while ((ret = read_cmd(&b, &first)) == 1) {
		ret = run_line(ctl, &b, first, cmds, n);
		if (ret != EXIT_SUCCESS)
			break;
	}
	if (ret < 0)
		ret = -ret;
	if (b.f != stdin)
		fclose(b.f);
	return ret;
}
