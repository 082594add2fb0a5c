/* sha256_test.c: SHA-256 against the FIPS 180-4 / NIST example vectors; prints TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static int g_n, g_fail;

static void check(const char *name, const char *got, const char *want)
{
	g_n++;
	if (strcmp(got, want) == 0) {
		printf("ok %d - %s\n", g_n, name);
	} else {
		g_fail++;
		printf("not ok %d - %s\n#   got  %s\n#   want %s\n", g_n, name, got, want);
	}
}

int main(void)
{
	char hex[65];
	printf("1..7\n");
	sha256_hex("", 0, hex);
	check("empty message", hex,
	      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	check("abc", hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256_hex(m448, strlen(m448), hex);
	check("448-bit message", hex,
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
			   "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	sha256_hex(m896, strlen(m896), hex);
	check("896-bit message", hex,
	      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	char *mil = malloc(1000000);
	if (!mil)
		return 1;
	memset(mil, 'a', 1000000);
	sha256_hex(mil, 1000000, hex);
	check("one million 'a'", hex,
	      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* The same message fed in uneven pieces. */
	sha256_ctx c;
	unsigned char d[32];
	sha256_init(&c);
	for (size_t off = 0, step = 1; off < 1000000; off += step, step = step % 131 + 7) {
		size_t n = off + step > 1000000 ? 1000000 - off : step;
		sha256_update(&c, mil + off, n);
	}
	sha256_final(&c, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	check("one million 'a' in pieces", hex,
	      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(mil);
	/* 55 and 56 bytes: the padding boundary. */
	char b56[57];
	memset(b56, 'a', 56);
	sha256_hex(b56, 55, hex);
	char h55[65];
	strcpy(h55, hex);
	sha256_hex(b56, 56, hex);
	char both[140];
	snprintf(both, sizeof(both), "%s %s", h55, hex);
	check("55 and 56 bytes", both,
	      "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318 "
	      "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	return g_fail ? 1 : 0;
}
