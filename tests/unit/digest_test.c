/* digest_test.c: digest_hex against the FIPS 180-4 / NIST example vectors of SHA-1, SHA-256 and SHA-512, long messages and padding boundaries included; prints TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runner/tap.h"
#include "digest.h"

static void check(const char *name, digest_alg alg, const char *msg, size_t len, const char *want)
{
	char got[DIGEST_HEX_MAX];
	size_t n = digest_hex(alg, msg, len, got);
	if (!tap_ok(strcmp(got, want) == 0 && n == strlen(want), name))
		tap_diag("  got  %s (%zu digits)\n  want %s", got, n, want);
}

int main(void)
{
	const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
			   "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	char *mil = malloc(1000000);
	if (!mil)
		return 1;
	memset(mil, 'a', 1000000);

	check("SHA-1 empty message", DIGEST_SHA1, "", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check("SHA-1 abc", DIGEST_SHA1, "abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	check("SHA-1 448-bit message", DIGEST_SHA1, m448, strlen(m448),
	      "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	check("SHA-1 one million 'a'", DIGEST_SHA1, mil, 1000000,
	      "34aa973cd4c4daa4f61eeb2bdbad27316534016f");

	check("SHA-256 empty message", DIGEST_SHA256, "", 0,
	      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("SHA-256 abc", DIGEST_SHA256, "abc", 3,
	      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check("SHA-256 448-bit message", DIGEST_SHA256, m448, strlen(m448),
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	check("SHA-256 896-bit message", DIGEST_SHA256, m896, strlen(m896),
	      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	check("SHA-256 one million 'a'", DIGEST_SHA256, mil, 1000000,
	      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* 55 and 56 bytes: the last length that pads in one block, and the first in two. */
	check("SHA-256 55 bytes", DIGEST_SHA256, mil, 55,
	      "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	check("SHA-256 56 bytes", DIGEST_SHA256, mil, 56,
	      "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");

	check("SHA-512 empty message", DIGEST_SHA512, "", 0,
	      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
	      "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
	check("SHA-512 abc", DIGEST_SHA512, "abc", 3,
	      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	check("SHA-512 one million 'a'", DIGEST_SHA512, mil, 1000000,
	      "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
	      "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
	free(mil);
	return tap_done();
}
