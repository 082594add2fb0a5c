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

/* The watched files: a directory's watch descriptor and the file's name in it. */
#define WH_WATCHED 5
static struct {
	int wd;
	char name[NAME_MAX + 1];
} watched[WH_WATCHED];
static int n_watched;

/* Watch the directory holding path (inotify gives one descriptor per directory), so
 * that a file replaced by a rename or a symlink swap is seen as well as one rewritten. */
static void watch_file(const char *path)
{
	if (!path || n_watched == WH_WATCHED)
		return;
	char d[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (!slash)
		strcpy(d, ".");
	else if (slash == path)
		strcpy(d, "/");
	else
		snprintf(d, sizeof d, "%.*s", (int)(slash - path), path);
	/* No IN_MODIFY: a file rewritten in place is complete at IN_CLOSE_WRITE, and
	 * every write to some other file of the directory (a log beside the
	 * certificates) would wake this thread. */
	int wd = inotify_add_watch(ino_fd, d,
				   IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE |
					   IN_DELETE | IN_ATTRIB);
	if (wd < 0) {
		wh_log_event("reload", "cannot watch %s: %s", d, strerror(errno));
		return;
	}
	watched[n_watched].wd = wd;
	snprintf(watched[n_watched].name, sizeof watched[n_watched].name, "%s",
		 slash ? slash + 1 : path);
	n_watched++;
}

/* Does an event concern one of our files? Other files in the same directories (a log
 * written next to the config, say) must not trigger reloads. Kubernetes updates a
 * ConfigMap or Secret volume by renaming a new "..data" symlink into place. */
static bool relevant(const struct inotify_event *ev)
{
	if (!ev->len)
		return false;
	for (int i = 0; i < n_watched; i++)
		if (watched[i].wd == ev->wd &&
		    (strcmp(ev->name, watched[i].name) == 0 || strcmp(ev->name, "..data") == 0))
			return true;
	return false;
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
			/* The first change in a watched directory starts the debounce, as Istio's
			 * timer does: a file rewritten without pause cannot postpone the reload,
			 * and changes after it schedule another. */
			ssize_t got = read(ino_fd, buf, sizeof buf);
			for (ssize_t off = 0; got > 0 && off < got;) {
				const struct inotify_event *ev = (const void *)(buf + off);
				if (due < 0 && relevant(ev))
					due = now_ms() + o->debounce_ms;
				off += (ssize_t)(sizeof *ev + ev->len);
			}
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
	n_watched = 0;
	watch_file(o->config_file);
	watch_file(o->mesh_file);
	watch_file(o->values_file);
	watch_file(o->namespaces_file);
	watch_file(o->cert_file);
	watch_file(o->key_file);
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
