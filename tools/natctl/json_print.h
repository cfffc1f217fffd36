/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natctl: one print path for text and JSON output.
 *
 * Every value is printed with one call that names both its JSON key and
 * its text format; @type says in which output it appears. In text mode
 * the format gets the value (the key is unused); in JSON mode the format
 * is unused and the value goes out as "key": value, or as a bare element
 * when the key is NULL inside an array. Objects exist in JSON only;
 * arrays may also print a text prefix.
 */
#ifndef NATCTL_JSON_PRINT_H
#define NATCTL_JSON_PRINT_H

#include <stdbool.h>
#include <stdint.h>

enum output_type {
	PRINT_FP = 1,		/* text only */
	PRINT_JSON = 2,		/* JSON only */
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

void output_init(bool json, bool pretty);
/* Closes what is still open, ends the JSON line; 0 or -1 on write error. */
int output_end(void);
/*
 * Ends one record of a stream (natctl monitor): in JSON a newline after
 * the top-level value, so that every value is one line without -p; then
 * flushes. 0 or -1 on write error.
 */
int output_record_end(void);
bool is_json_context(void);

void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(enum output_type type, const char *key);
void close_json_array(enum output_type type);

void print_string(enum output_type type, const char *key, const char *fmt,
		  const char *value);
/*
 * Free text: JSON escapes it as usual; text prints @fmt with the value
 * in double quotes for its one "%s" (the rest of @fmt is printed as it
 * is), with \" and \\ escaped, and every byte of a control character or
 * of what is not UTF-8 as \xHH, so that a value stays on its line.
 */
void print_quoted(enum output_type type, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum output_type type, const char *key, const char *fmt,
		unsigned int value);
void print_u64(enum output_type type, const char *key, const char *fmt,
	       uint64_t value);
/* Text gets "true" or "false" for the %s of @fmt. */
void print_bool(enum output_type type, const char *key, const char *fmt,
		bool value);
/* JSON null; text prints @fmt with @text. */
void print_null(enum output_type type, const char *key, const char *fmt,
		const char *text);
/* A newline in text mode, nothing in JSON. */
void print_nl(void);
/* Text mode only. */
void print_fp(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* NATCTL_JSON_PRINT_H */
