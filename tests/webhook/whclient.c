/* whclient.c: the hostile clients of the webhook tests (connections that never shake hands, a request dripped a byte at a time, many connections from one address), each bounded in time, reporting what the server did as "key value" lines. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 512

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void pause_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000u, (long)(ms % 1000u) * 1000000L};
	nanosleep(&ts, NULL);
}

/* A TCP connection to 127.0.0.1:port from address from (NULL: any); -1 on failure,
 * -2 when from cannot be bound (an address this machine lacks). */
static int dial(int port, const char *from)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (from) {
		struct sockaddr_in src = {.sin_family = AF_INET};
		if (inet_pton(AF_INET, from, &src.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
			close(fd);
			return -2;
		}
	}
	struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
	if (connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0) {
		close(fd);
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* The first bytes of a TLS ClientHello: a handshake record announcing 512 bytes, of
 * which only the handshake header and the version follow. */
static const unsigned char partial_hello[] = {0x16, 0x03, 0x01, 0x02, 0x00,
					      0x01, 0x00, 0x01, 0xfc, 0x03, 0x03};

static gnutls_certificate_credentials_t creds;

/* A client session over fd (the server's certificate is not checked: these clients
 * test the server's limits, not its identity). */
static int tls_session(int fd, gnutls_session_t *s)
{
	if (!creds && gnutls_certificate_allocate_credentials(&creds) < 0)
		return -1;
	if (gnutls_init(s, GNUTLS_CLIENT | GNUTLS_NONBLOCK) < 0)
		return -1;
	gnutls_set_default_priority(*s);
	gnutls_credentials_set(*s, GNUTLS_CRD_CERTIFICATE, creds);
	gnutls_transport_set_int(*s, fd);
	return 0;
}

/* A pull function that never reads: the server's answer to a ClientHello is left
 * unread whatever its timing (a fast server's whole answer could otherwise
 * complete a TLS 1.3 handshake within the first gnutls_handshake call). */
static ssize_t never_pull(gnutls_transport_ptr_t p, void *buf, size_t n)
{
	(void)p;
	(void)buf;
	(void)n;
	errno = EAGAIN;
	return -1;
}

/* silent PORT N PARTIAL HELLO SECONDS: N connections that never finish a handshake:
 * the first PARTIAL send the start of a ClientHello, the next HELLO a whole one (and
 * then read nothing of the server's answer), the others nothing. Held until the
 * server closes them or SECONDS pass. Prints "open N" once all are open (on its own,
 * flushed), then "closed K", and the first and last close in ms. */
static int silent(int port, int n, int partial, int hello, int secs)
{
	static int fds[MAX_CONNS];
	static uint64_t closed_at[MAX_CONNS];
	static gnutls_session_t ss[MAX_CONNS];
	if (n < 1 || n > MAX_CONNS || partial < 0 || hello < 0 || partial + hello > n)
		return 2;
	uint64_t t0 = now_ms();
	for (int i = 0; i < n; i++) {
		fds[i] = dial(port, NULL);
		if (fds[i] < 0) {
			fprintf(stderr, "whclient: connection %d: %s\n", i, strerror(errno));
			return 1;
		}
		ss[i] = NULL;
		closed_at[i] = 0;
		if (i < partial) {
			if (write(fds[i], partial_hello, sizeof partial_hello) < 0)
				return 1;
		} else if (i < partial + hello) {
			/* One step of a non-blocking handshake: the ClientHello goes out, and
			 * the server's answer is never read. */
			fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
			int hs = GNUTLS_E_AGAIN;
			if (tls_session(fds[i], &ss[i]) == 0)
				gnutls_transport_set_pull_function(ss[i], never_pull);
			if (!ss[i] || (hs = gnutls_handshake(ss[i])) != GNUTLS_E_AGAIN) {
				fprintf(stderr, "whclient: connection %d: handshake: %s\n", i,
					gnutls_strerror(hs));
				return 1;
			}
		}
	}
	printf("open %d\n", n);
	fflush(stdout);
	int left = n;
	uint64_t end = t0 + (uint64_t)secs * 1000u;
	while (left > 0 && now_ms() < end) {
		struct pollfd pf[MAX_CONNS];
		for (int i = 0; i < n; i++)
			pf[i] = (struct pollfd){.fd = closed_at[i] ? -1 : fds[i], .events = POLLIN};
		poll(pf, (nfds_t)n, 50);
		for (int i = 0; i < n; i++) {
			if (closed_at[i] || !pf[i].revents)
				continue;
			char buf[256];
			ssize_t r = read(fds[i], buf, sizeof buf);
			/* An alert or anything else the server sends is not the end. */
			if (r <= 0) {
				closed_at[i] = now_ms() - t0;
				if (closed_at[i] == 0)
					closed_at[i] = 1;
				left--;
			}
		}
	}
	uint64_t first = 0, last = 0;
	for (int i = 0; i < n; i++) {
		if (!closed_at[i])
			continue;
		if (!first || closed_at[i] < first)
			first = closed_at[i];
		if (closed_at[i] > last)
			last = closed_at[i];
		close(fds[i]);
	}
	for (int i = 0; i < n; i++) {
		if (!closed_at[i])
			close(fds[i]);
		if (ss[i])
			gnutls_deinit(ss[i]);
	}
	printf("closed %d\nfirst-close-ms %llu\nlast-close-ms %llu\n", n - left,
	       (unsigned long long)first, (unsigned long long)last);
	return 0;
}

/* A TLS connection over fd, its handshake done; 0 when it succeeded. */
static int tls_open(int fd, gnutls_session_t *s)
{
	if (tls_session(fd, s) != 0)
		return -1;
	gnutls_handshake_set_timeout(*s, 10000);
	int rc;
	do
		rc = gnutls_handshake(*s);
	while (rc < 0 && !gnutls_error_is_fatal(rc));
	return rc < 0 ? -1 : 0;
}

/* True when the server has ended the stream (or the connection fails); what it sent
 * before is read and dropped. */
static bool ended(gnutls_session_t s, int fd)
{
	for (;;) {
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		if (gnutls_record_check_pending(s) == 0 && poll(&pf, 1, 0) <= 0)
			return false;
		char buf[512];
		ssize_t r = gnutls_record_recv(s, buf, sizeof buf);
		if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
			return false;
		if (r <= 0)
			return true;
	}
}

/* drip PORT headers|body|idle INTERVAL_MS SECONDS: after the handshake, a request sent
 * one byte every INTERVAL_MS: its headers without end (headers), or whole headers and
 * a body announced as 1 MB (body); or one whole request for /healthz, and then nothing
 * (idle; its answer is read and dropped). Prints "closed-after-ms N", the time from the
 * first byte of the request to the end of the connection, or "open-after-ms N" when
 * SECONDS pass first. */
static int drip(int port, const char *what, int interval, int secs)
{
	int body = strcmp(what, "body") == 0, idle = strcmp(what, "idle") == 0;
	int fd = dial(port, NULL);
	gnutls_session_t s;
	if (fd < 0 || tls_open(fd, &s) != 0) {
		fprintf(stderr, "whclient: no TLS connection\n");
		return 1;
	}
	uint64_t t0 = now_ms(), end = t0 + (uint64_t)secs * 1000u;
	if (body) {
		static const char head[] = "POST /inject HTTP/1.1\r\nHost: 127.0.0.1\r\n"
					   "Content-Type: application/json\r\n"
					   "Content-Length: 1000000\r\n\r\n";
		if (gnutls_record_send(s, head, sizeof head - 1) < 0)
			return 1;
	} else if (idle) {
		static const char get[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
		if (gnutls_record_send(s, get, sizeof get - 1) < 0)
			return 1;
	} else {
		static const char head[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Drip: ";
		if (gnutls_record_send(s, head, sizeof head - 1) < 0)
			return 1;
	}
	for (;;) {
		if (ended(s, fd) || (!idle && gnutls_record_send(s, body ? " " : "a", 1) < 0)) {
			printf("closed-after-ms %llu\n", (unsigned long long)(now_ms() - t0));
			break;
		}
		if (now_ms() >= end) {
			printf("open-after-ms %llu\n", (unsigned long long)(now_ms() - t0));
			break;
		}
		pause_ms((unsigned)interval);
	}
	gnutls_deinit(s);
	close(fd);
	return 0;
}

/* hold PORT N FROM SECONDS: N TLS connections from address FROM, opened one after the
 * other; prints "tls K" (handshakes done), "refused R" (closed by the server before or
 * during the handshake) and "holding" (flushed), waits SECONDS, then asks /healthz on
 * each open connection and prints "answered A" (200 "ok" answers). Exit 77 when FROM
 * is not an address of this machine. */
static int hold(int port, int n, const char *from, int secs)
{
	static int fds[MAX_CONNS];
	static gnutls_session_t ss[MAX_CONNS];
	if (n < 1 || n > MAX_CONNS)
		return 2;
	int tls = 0, refused = 0;
	for (int i = 0; i < n; i++) {
		fds[i] = dial(port, from);
		if (fds[i] == -2)
			return 77;
		ss[i] = NULL;
		if (fds[i] < 0 || tls_open(fds[i], &ss[i]) != 0) {
			refused++;
			continue;
		}
		tls++;
	}
	printf("tls %d\nrefused %d\nholding\n", tls, refused);
	fflush(stdout);
	pause_ms((unsigned)secs * 1000u);
	static const char get[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	int answered = 0;
	for (int i = 0; i < n; i++) {
		if (!ss[i] || fds[i] < 0)
			continue;
		char buf[1024];
		size_t got = 0;
		buf[0] = 0;
		if (gnutls_record_send(ss[i], get, sizeof get - 1) > 0) {
			uint64_t end = now_ms() + 5000;
			while (got < sizeof buf - 1 && now_ms() < end && !strstr(buf, "\r\n\r\nok")) {
				struct pollfd pf = {.fd = fds[i], .events = POLLIN};
				if (gnutls_record_check_pending(ss[i]) == 0 && poll(&pf, 1, 100) <= 0)
					continue;
				ssize_t r = gnutls_record_recv(ss[i], buf + got, sizeof buf - 1 - got);
				if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
					continue;
				if (r <= 0)
					break;
				got += (size_t)r;
				buf[got] = 0;
			}
		}
		buf[got] = 0;
		if (strncmp(buf, "HTTP/1.1 200", 12) == 0 && strstr(buf, "\r\n\r\nok"))
			answered++;
		gnutls_deinit(ss[i]);
	}
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	printf("answered %d\n", answered);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 7 && strcmp(argv[1], "silent") == 0)
		return silent(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]),
			      atoi(argv[6]));
	if (argc == 6 && strcmp(argv[1], "drip") == 0)
		return drip(atoi(argv[2]), argv[3], atoi(argv[4]), atoi(argv[5]));
	if (argc == 6 && strcmp(argv[1], "hold") == 0)
		return hold(atoi(argv[2]), atoi(argv[3]), argv[4], atoi(argv[5]));
	fprintf(stderr, "usage: whclient silent PORT N PARTIAL HELLO SECONDS\n"
			"       whclient drip PORT headers|body|idle INTERVAL_MS SECONDS\n"
			"       whclient hold PORT N FROM SECONDS\n");
	return 2;
}
