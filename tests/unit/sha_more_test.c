/* sha_more_test.c: SHA-1 and SHA-512 against the FIPS 180-4 / NIST example vectors, long messages included; prints TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha1.h"
#include "sha512.h"

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
	char h1[41], h5[129];
	printf("1..8\n");
	sha1_hex("abc", 3, h1);
	check("SHA-1 abc", h1, "a9993e364706816aba3e25717850c26c9cd0d89d");
	const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha1_hex(m448, strlen(m448), h1);
	check("SHA-1 448-bit message", h1, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	sha512_hex("abc", 3, h5);
	check("SHA-512 abc", h5,
	      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
			   "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	sha512_hex(m896, strlen(m896), h5);
	check("SHA-512 896-bit message", h5,
	      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
	      "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
	sha512_hex("", 0, h5);
	check("SHA-512 empty message", h5,
	      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
	      "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
	char *mil = malloc(1000000);
	if (!mil)
		return 1;
	memset(mil, 'a', 1000000);
	sha1_hex(mil, 1000000, h1);
	check("SHA-1 one million 'a'", h1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	sha512_hex(mil, 1000000, h5);
	check("SHA-512 one million 'a'", h5,
	      "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
	      "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
	free(mil);
	sha1_hex("", 0, h1);
	check("SHA-1 empty message", h1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	return g_fail ? 1 : 0;
}
