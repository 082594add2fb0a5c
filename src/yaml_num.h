/* yaml_num.h: Go's integer syntax (strconv), yaml.v2/v3's float pattern and their timestamps (Go's time.Parse with their layouts), shared by the YAML reader's and writer's resolvers. */
#ifndef TMPL_YAML_NUM_H
#define TMPL_YAML_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* strconv.ParseUint(s, base, 64) succeeds, on text without underscores
 * (resolve.go strips them first). Base 0 reads a prefix: 0x (any Go), 0b
 * and 0o (Go >= 1.13 only: go113), else a leading 0 means octal. */
bool yn_parse_uint(const char *s, size_t n, int base, bool go113, uint64_t *out);

/* strconv.ParseInt(s, base, 64) succeeds: an optional sign, then as
 * yn_parse_uint, within int64. out may be NULL. */
bool yn_parse_int(const char *s, size_t n, int base, bool go113, int64_t *out);

/* resolve.go's yamlStyleFloat matches s: with v2_2, yaml.v2 2.2's
 * ^[-+]?[0-9]*\.?[0-9]+([eE][-+][0-9]+)?$ (the exponent signed, a digit
 * after any dot); else yaml.v2 2.4's and yaml.v3's
 * ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$. */
bool yn_yaml_style_float(const char *s, size_t n, bool v2_2);

/* The days of month (1 to 12) in year, by the Gregorian calendar: what Go's
 * time.Parse checks a timestamp's day against (both resolvers' timestamps). */
int yn_days_in(int month, int year);

/* yaml.v2's and yaml.v3's parseTimestamp: s starts with four digits and a
 * dash, and Go's time.Parse accepts it with one of the layouts
 * "2006-1-2T15:4:5.999999999Z07:00" (also with 't'), "2006-1-2 15:4:5.999999999"
 * and "2006-1-2", as Go 1.19 parses (a fraction of at most nine digits, any
 * zone offset of two-digit hours and minutes). With go117, a comma may stand
 * for the fraction's dot (Go >= 1.17); before, any comma fails. */
bool yn_is_timestamp(const char *s, size_t n, bool go117);

/* resolve.go's plain := strings.Replace(in, "_", "", -1) of [s, n), NUL-ended,
 * *len bytes: in buf when it fits in size bytes, else malloc'd (the caller
 * frees a result that is not buf; aborts on OOM). */
char *yn_strip_underscores(const char *s, size_t n, char *buf, size_t size, size_t *len);

#endif
