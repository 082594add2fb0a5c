/* proc.c: run a command with a timeout capturing stdout and stderr, plus temp-file helpers for the test runners. */
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct growbuf {
	char *p;
	size_t len, cap;
} growbuf;

static void gb_put(growbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			perror("realloc");
			exit(99);
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void child(const char *dir, char *const argv[], int in, int out, int err)
{
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	for (int fd = 3; fd < 64; fd++)
		close(fd);
	if (dir && chdir(dir) != 0) {
		dprintf(2, "chdir %s: %s\n", dir, strerror(errno));
		_exit(126);
	}
	execv(argv[0], argv);
	dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int proc_run(const char *dir, char *const argv[], const char *in, size_t in_len,
	     int timeout_sec, proc_result *r)
{
	int pin[2], pout[2], perr[2];
	memset(r, 0, sizeof *r);
	if (pipe(pin) < 0)
		return -1;
	if (pipe(pout) < 0 || pipe(perr) < 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(pin[1]);
		close(pout[0]);
		close(perr[0]);
		child(dir, argv, pin[0], pout[1], perr[1]);
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	fcntl(pin[1], F_SETFL, O_NONBLOCK);
	signal(SIGPIPE, SIG_IGN);

	growbuf bo = {0}, be = {0};
	gb_put(&bo, "", 0);
	gb_put(&be, "", 0);
	size_t in_off = 0;
	int fin = pin[1], fout = pout[0], ferr = perr[0];
	if (!in || in_len == 0) {
		close(fin);
		fin = -1;
	}
	long long deadline = now_ms() + (long long)timeout_sec * 1000;
	while (fout >= 0 || ferr >= 0) {
		struct pollfd pf[3];
		int n = 0, iin = -1, iout = -1, ierr = -1;
		if (fin >= 0) {
			pf[n] = (struct pollfd){fin, POLLOUT, 0};
			iin = n++;
		}
		if (fout >= 0) {
			pf[n] = (struct pollfd){fout, POLLIN, 0};
			iout = n++;
		}
		if (ferr >= 0) {
			pf[n] = (struct pollfd){ferr, POLLIN, 0};
			ierr = n++;
		}
		long long left = deadline - now_ms();
		if (left <= 0) {
			r->timed_out = 1;
			kill(pid, SIGKILL);
			break;
		}
		int k = poll(pf, n, (int)left);
		if (k < 0 && errno != EINTR)
			break;
		if (k <= 0)
			continue;
		if (iin >= 0 && pf[iin].revents) {
			ssize_t w = write(fin, in + in_off, in_len - in_off);
			if (w > 0)
				in_off += (size_t)w;
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				in_off = in_len;
			if (in_off >= in_len) {
				close(fin);
				fin = -1;
			}
		}
		int *fds[2] = {&fout, &ferr};
		int idx[2] = {iout, ierr};
		growbuf *bufs[2] = {&bo, &be};
		for (int j = 0; j < 2; j++) {
			if (idx[j] < 0 || !pf[idx[j]].revents)
				continue;
			char tmp[8192];
			ssize_t got = read(*fds[j], tmp, sizeof tmp);
			if (got > 0) {
				gb_put(bufs[j], tmp, (size_t)got);
			} else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
				close(*fds[j]);
				*fds[j] = -1;
			}
		}
	}
	if (fin >= 0)
		close(fin);
	if (fout >= 0)
		close(fout);
	if (ferr >= 0)
		close(ferr);
	int st = 0;
	if (!r->timed_out) {
		/* Output closed: give the process the rest of the time to exit. */
		while (waitpid(pid, &st, WNOHANG) == 0) {
			if (now_ms() >= deadline) {
				r->timed_out = 1;
				kill(pid, SIGKILL);
				break;
			}
			usleep(1000);
		}
	}
	if (r->timed_out)
		waitpid(pid, &st, 0);
	if (!r->timed_out && WIFEXITED(st)) {
		r->exited = 1;
		r->status = WEXITSTATUS(st);
	} else if (WIFSIGNALED(st)) {
		r->signal = WTERMSIG(st);
	}
	r->out = bo.p;
	r->out_len = bo.len;
	r->err = be.p;
	r->err_len = be.len;
	return 0;
}

void proc_result_free(proc_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof *r);
}

const char *proc_describe(const proc_result *r, char *buf, size_t size)
{
	if (r->timed_out)
		snprintf(buf, size, "timeout");
	else if (r->exited)
		snprintf(buf, size, "exit %d", r->status);
	else
		snprintf(buf, size, "signal %d", r->signal);
	return buf;
}

char *tmpdir_make(const char *prefix)
{
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = P_tmpdir;
	size_t n = strlen(base) + strlen(prefix) + 16;
	char *path = malloc(n);
	if (!path)
		return NULL;
	snprintf(path, n, "%s/%s.XXXXXX", base, prefix);
	if (!mkdtemp(path)) {
		free(path);
		return NULL;
	}
	return path;
}

void tmpdir_remove(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			size_t n = strlen(path) + strlen(e->d_name) + 2;
			char *sub = malloc(n);
			if (!sub)
				break;
			snprintf(sub, n, "%s/%s", path, e->d_name);
			struct stat st;
			if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
				tmpdir_remove(sub);
			else
				unlink(sub);
			free(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

int file_write(const char *dir, const char *name, const char *data, size_t len)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	if (!path)
		return -1;
	snprintf(path, n, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	free(path);
	if (!f)
		return -1;
	size_t w = len ? fwrite(data, 1, len, f) : 0;
	int rc = fclose(f);
	return (w == len && rc == 0) ? 0 : -1;
}

char *file_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	growbuf b = {0};
	gb_put(&b, "", 0);
	char tmp[8192];
	size_t got;
	while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
		gb_put(&b, tmp, got);
	fclose(f);
	if (len)
		*len = b.len;
	return b.p;
}
