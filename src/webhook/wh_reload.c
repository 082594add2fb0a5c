/* wh_reload.c: watches the directories of the config, mesh, values, certificate and key files (so ConfigMap and Secret symlink swaps are seen) and reloads after a quiet debounce. */
#include "wh.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "wh_tls.h"

static int ino_fd = -1, stop_fd = -1;
static pthread_t watcher;
static bool running;
static pthread_mutex_t reload_lock = PTHREAD_MUTEX_INITIALIZER;

void wh_reload_now(const wh_opts *o)
{
	pthread_mutex_lock(&reload_lock);
	tmpl_error err;
	tmpl_error_init(&err);
	wh_snap *s = wh_snap_load(o, &err);
	if (!s) {
		wh_metrics_reload(false);
		wh_log_event("reload", "configuration kept: %s", err.msg);
		goto done;
	}
	tmpl_error_clear(&err);
	if (wh_cert_load(o, &err) != 0) {
		wh_snap_put(s);
		wh_metrics_reload(false);
		wh_log_event("reload", "configuration and certificate kept: %s", err.msg);
		goto done;
	}
	wh_snap_install(s);
	wh_metrics_reload(true);
	wh_log_event("reload", "configuration, mesh, values and certificate reloaded");
done:
	tmpl_error_clear(&err);
	pthread_mutex_unlock(&reload_lock);
}

/* Watch the directory holding path (once per directory). */
static void watch_dir(const char *path, char dirs[][PATH_MAX], int *n)
{
	if (!path)
		return;
	char d[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (!slash)
		strcpy(d, ".");
	else if (slash == path)
		strcpy(d, "/");
	else
		snprintf(d, sizeof d, "%.*s", (int)(slash - path), path);
	for (int i = 0; i < *n; i++)
		if (strcmp(dirs[i], d) == 0)
			return;
	if (inotify_add_watch(ino_fd, d,
			      IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE | IN_DELETE |
				      IN_MODIFY | IN_ATTRIB) < 0)
		wh_log_event("reload", "cannot watch %s: %s", d, strerror(errno));
	snprintf(dirs[(*n)++], PATH_MAX, "%s", d);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *watch_loop(void *arg)
{
	const wh_opts *o = arg;
	int64_t due = -1;
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		struct pollfd p[2] = {{ino_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
		int timeout = -1;
		if (due >= 0) {
			int64_t left = due - now_ms();
			timeout = left > 0 ? (int)left : 0;
		}
		int n = poll(p, 2, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (n > 0 && p[0].revents) {
			/* Any change in a watched directory (re)starts the debounce. */
			if (read(ino_fd, buf, sizeof buf) > 0)
				due = now_ms() + o->debounce_ms;
			continue;
		}
		if (due >= 0 && now_ms() >= due) {
			due = -1;
			wh_reload_now(o);
		}
	}
	return NULL;
}

int wh_reload_start(const wh_opts *o)
{
	ino_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	stop_fd = eventfd(0, EFD_CLOEXEC);
	if (ino_fd < 0 || stop_fd < 0)
		return -1;
	static char dirs[5][PATH_MAX];
	int n = 0;
	watch_dir(o->config_file, dirs, &n);
	watch_dir(o->mesh_file, dirs, &n);
	watch_dir(o->values_file, dirs, &n);
	watch_dir(o->cert_file, dirs, &n);
	watch_dir(o->key_file, dirs, &n);
	if (pthread_create(&watcher, NULL, watch_loop, (void *)o) != 0)
		return -1;
	running = true;
	return 0;
}

void wh_reload_stop(void)
{
	if (running) {
		uint64_t one = 1;
		if (write(stop_fd, &one, sizeof one) < 0)
			abort();
		pthread_join(watcher, NULL);
		running = false;
	}
	if (ino_fd >= 0)
		close(ino_fd);
	if (stop_fd >= 0)
		close(stop_fd);
	ino_fd = stop_fd = -1;
}
