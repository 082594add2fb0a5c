/* oom.c: what every part of the library and its programs do when memory runs out: one line naming the program, then exit status 1 (never abort()'s core dump). */
#include <string.h>
#include <unistd.h>

#include "error.h"

static const char *tmpl_prog = "libtmpl";

void tmpl_set_program_name(const char *name)
{
	tmpl_prog = name && *name ? name : "libtmpl";
}

const char *tmpl_program_name(void)
{
	return tmpl_prog;
}

void tmpl_out_of_memory(void)
{
	/* Nothing here may allocate: the line goes out with write(2), and _exit
	 * skips stdio and atexit handlers, which might. */
	static const char msg[] = ": out of memory\n";
	ssize_t r = write(STDERR_FILENO, tmpl_prog, strlen(tmpl_prog));
	r = write(STDERR_FILENO, msg, sizeof msg - 1);
	(void)r;
	_exit(1);
}
