/* cryptcheck.c: does a password match a crypt(3) hash (bcrypt's $2a$...)? For the tests of sprig's bcrypt and htpasswd.
 *
 * Usage: cryptcheck HASH PASSWORD; exit 0 on a match, 1 on none, 2 on misuse.
 */
#include <crypt.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: cryptcheck HASH PASSWORD\n");
		return 2;
	}
	struct crypt_data cd;
	memset(&cd, 0, sizeof cd);
	const char *h = crypt_r(argv[2], argv[1], &cd);
	return h && h[0] == '$' && strcmp(h, argv[1]) == 0 ? 0 : 1;
}
