// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: one print path for text and JSON output (see json_print.h).
 *
 * The JSON side is a small streaming writer: a stack of open containers,
 * each remembering whether it holds an element yet (for the commas and,
 * with pretty printing, the indentation of the closing bracket).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_print.h"
#include "utils.h"

#define JSON_MAX_DEPTH	16
#define JSON_INDENT	4

static struct {
	bool json;
	bool pretty;
	bool started;			/* any JSON written */
	unsigned int depth;
	bool nonempty[JSON_MAX_DEPTH];
	char closer[JSON_MAX_DEPTH];
} out;

void output_init(bool json, bool pretty)
{
	out.json = json;
	out.pretty = pretty;
}

bool is_json_context(void)
{
	return out.json;
}

static void json_indent(void)
{
	printf("\n%*s", out.depth * JSON_INDENT, "");
}

/* What is not UTF-8 becomes U+FFFD: the output must be valid JSON. */
static void json_str(const char *s)
{
	uint32_t cp;
	size_t n;

	putchar('"');
	for (; *s; s += n) {
		n = utf8_seq(s, &cp);
		if (!n) {
			fputs("\\ufffd", stdout);
			n = 1;
			continue;
		}
		switch (cp) {
		case '"':
		case '\\':
			putchar('\\');
			putchar(cp);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		default:
			if (is_control(cp))
				printf("\\u%04x", (unsigned int)cp);
			else
				fwrite(s, 1, n, stdout);
		}
	}
	putchar('"');
}

/* The text form of print_quoted(). */
static void text_quoted(const char *s)
{
	uint32_t cp;
	size_t n, i;

	putchar('"');
	for (; *s; s += n) {
		n = utf8_seq(s, &cp);
		if (!n || is_control(cp)) {
			n = n ?: 1;
			for (i = 0; i < n; i++)
				printf("\\x%02x", (unsigned char)s[i]);
		} else if (cp == '"' || cp == '\\') {
			putchar('\\');
			putchar(cp);
		} else {
			fwrite(s, 1, n, stdout);
		}
	}
	putchar('"');
}

/* Comma, indentation and key before a new element. */
static void json_member(const char *key)
{
	out.started = true;
	if (out.depth) {
		if (out.nonempty[out.depth - 1])
			putchar(',');
		out.nonempty[out.depth - 1] = true;
		if (out.pretty)
			json_indent();
	}
	if (key && out.depth && out.closer[out.depth - 1] == '}') {
		json_str(key);
		fputs(out.pretty ? ": " : ":", stdout);
	}
}

static void json_open(const char *key, char opener, char closer)
{
	if (out.depth == JSON_MAX_DEPTH)
		return;
	json_member(key);
	putchar(opener);
	out.nonempty[out.depth] = false;
	out.closer[out.depth] = closer;
	out.depth++;
}

static void json_close(void)
{
	if (!out.depth)
		return;
	out.depth--;
	if (out.pretty && out.nonempty[out.depth])
		json_indent();
	putchar(out.closer[out.depth]);
}

int output_end(void)
{
	if (out.json) {
		while (out.depth)
			json_close();
		if (out.started)
			putchar('\n');
	}
	if (fflush(stdout) || ferror(stdout))
		return -1;
	return 0;
}

int output_record_end(void)
{
	if (out.json && out.started && !out.depth) {
		putchar('\n');
		out.started = false;
	}
	if (fflush(stdout) || ferror(stdout))
		return -1;
	return 0;
}

void open_json_object(const char *key)
{
	if (out.json)
		json_open(key, '{', '}');
}

void close_json_object(void)
{
	if (out.json)
		json_close();
}

void open_json_array(enum output_type type, const char *key)
{
	if (out.json && (type & PRINT_JSON))
		json_open(key, '[', ']');
}

void close_json_array(enum output_type type)
{
	if (out.json && (type & PRINT_JSON))
		json_close();
}

/* Whether the text form of a value is printed. */
static bool want_text(enum output_type type, const char *fmt)
{
	if (out.json)
		return false;
	return (type & PRINT_FP) && fmt;
}

/* Whether the JSON form is printed; if so, its key is already out. */
static bool want_json(enum output_type type, const char *key)
{
	if (!out.json || !(type & PRINT_JSON))
		return false;
	json_member(key);
	return true;
}

void print_string(enum output_type type, const char *key, const char *fmt,
		  const char *value)
{
	if (want_json(type, key))
		json_str(value);
	else if (want_text(type, fmt))
		printf(fmt, value);
}

void print_quoted(enum output_type type, const char *key, const char *fmt,
		  const char *value)
{
	const char *conv;

	if (want_json(type, key)) {
		json_str(value);
	} else if (want_text(type, fmt)) {
		conv = strstr(fmt, "%s");
		if (!conv) {
			fputs(fmt, stdout);
			return;
		}
		fwrite(fmt, 1, conv - fmt, stdout);
		text_quoted(value);
		fputs(conv + 2, stdout);
	}
}

void print_uint(enum output_type type, const char *key, const char *fmt,
		unsigned int value)
{
	if (want_json(type, key))
		printf("%u", value);
	else if (want_text(type, fmt))
		printf(fmt, value);
}

void print_u64(enum output_type type, const char *key, const char *fmt,
	       uint64_t value)
{
	if (want_json(type, key))
		printf("%" PRIu64, value);
	else if (want_text(type, fmt))
		printf(fmt, value);
}

void print_bool(enum output_type type, const char *key, const char *fmt,
		bool value)
{
	if (want_json(type, key))
		fputs(value ? "true" : "false", stdout);
	else if (want_text(type, fmt))
		printf(fmt, value ? "true" : "false");
}

void print_null(enum output_type type, const char *key, const char *fmt,
		const char *text)
{
	if (want_json(type, key))
		fputs("null", stdout);
	else if (want_text(type, fmt))
		printf(fmt, text);
}

void print_nl(void)
{
	if (!out.json)
		putchar('\n');
}

void print_fp(const char *fmt, ...)
{
	va_list ap;

	if (out.json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
