/* docsplit.c: a YAML stream cut into documents exactly as Istio 1.1's kube-inject reads it (Kubernetes 1.11's YAMLReader over a LineReader).
 *
 * The reader's rules, which decide what kube-inject copies back byte for byte:
 *   - lines are read with bufio's ReadLine, which drops "\n" or "\r\n", and
 *     given back a "\n": CRLF input becomes LF, and a last line without a
 *     newline gains one;
 *   - a line that starts with "---" and has nothing after it but white space
 *     (Go's unicode.IsSpace) ends the document gathered so far, if any; with
 *     nothing gathered yet (a leading `---`, or a second one in a row) the
 *     line itself is kept as the start of the next document, so Istio writes
 *     it back.
 */
#include "inject.h"

#include <string.h>

#include "utf8.h"

/* Does line (without its newline) separate documents? "---", then only white space. */
static bool kdoc_separator(const char *s, size_t n)
{
	if (n < 3 || memcmp(s, "---", 3) != 0)
		return false;
	for (size_t i = 3; i < n;) {
		size_t size;
		int32_t r = u8_decode(s + i, n - i, &size);
		if (!u8_isspace(r) || size == 0)
			return false;
		i += size;
	}
	return true;
}

void inj_kube_docs_init(inj_kube_docs *d, const char *text, size_t len)
{
	memset(d, 0, sizeof *d);
	d->text = text;
	d->len = len;
	d->line = 1;
}

void inj_kube_docs_free(inj_kube_docs *d)
{
	sbuf_free(&d->doc);
}

/* The document gathered so far, in place or in d->doc. */
static bool kdoc_give(inj_kube_docs *d, const char **doc, size_t *len, int *line)
{
	if (d->doc.len) {
		*doc = d->doc.buf;
		*len = d->doc.len;
	} else {
		*doc = d->text + d->start;
		*len = d->span;
	}
	*line = d->doc_line;
	return true;
}

bool inj_kube_docs_next(inj_kube_docs *d, const char **doc, size_t *len, int *line)
{
	d->doc.len = 0;
	d->span = 0;
	while (d->pos < d->len) {
		const char *s = d->text + d->pos;
		const char *nl = memchr(s, '\n', d->len - d->pos);
		size_t n = nl ? (size_t)(nl - s) : d->len - d->pos;
		size_t at_pos = d->pos;
		d->pos += nl ? n + 1 : n;
		int at = d->line++;
		/* ReadLine drops "\r" only in front of "\n". */
		bool cr = nl && n > 0 && s[n - 1] == '\r';
		if (cr)
			n--;
		bool gathered = d->doc.len > 0 || d->span > 0;
		if (gathered && kdoc_separator(s, n))
			return kdoc_give(d, doc, len, line);
		if (!gathered) {
			d->doc_line = at;
			d->start = at_pos;
		}
		if (d->doc.len == 0 && nl && !cr) {
			d->span += n + 1; /* the input's bytes as they are */
			continue;
		}
		if (d->doc.len == 0)
			sbuf_put(&d->doc, d->text + d->start, d->span);
		sbuf_put(&d->doc, s, n);
		sbuf_putc(&d->doc, '\n');
	}
	if (d->doc.len == 0 && d->span == 0)
		return false;
	return kdoc_give(d, doc, len, line);
}
