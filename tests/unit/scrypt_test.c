/* scrypt_test.c: sprig_scrypt against the test vectors of RFC 7914 section 12 (the first three; the fourth needs 1 GiB); prints TAP. */
#include <stdio.h>
#include <string.h>

#include "../runner/tap.h"
#include "sprig_crypto.h"

static void check(const char *name, const char *pw, const char *salt, uint64_t N, uint32_t r, uint32_t p,
		  const char *want)
{
	uint8_t out[64];
	char hex[129];
	if (sprig_scrypt(pw, strlen(pw), salt, strlen(salt), N, r, p, out, sizeof out) < 0) {
		tap_okf(0, "%s: no memory", name);
		return;
	}
	for (int i = 0; i < 64; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	tap_is(hex, want, name);
}

int main(void)
{
	check("empty password and salt, N=16 r=1 p=1", "", "", 16, 1, 1,
	      "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
	      "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
	check("password/NaCl, N=1024 r=8 p=16", "password", "NaCl", 1024, 8, 16,
	      "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
	      "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
	check("pleaseletmein/SodiumChloride, N=16384 r=8 p=1", "pleaseletmein", "SodiumChloride", 16384, 8, 1,
	      "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
	      "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887");
	return tap_done();
}
