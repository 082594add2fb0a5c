// regex_re2.cc: the only C++ in the project: a C shim over RE2's compile and match (regex_re2.h), nothing more.
//
// Why RE2: its syntax is Go's regexp/syntax (same author, same parser design:
// Perl flags, (?P<name>), \Q..\E, repeat limit 1000, leftmost-first), its
// matching is linear in the text, and its error codes name Go's error kinds,
// so src/regex.c only adds Go's API rules on top (FindAll, Expand, Split,
// error texts). No exception crosses into C: allocation uses nothrow.
#include <new>
#include <string>

#include <re2/re2.h>

#include "regex_re2.h"

struct rx_re2 {
	re2::RE2 *re;
};

extern "C" rx_re2 *rx_re2_compile(const char *pat, size_t n, long long max_mem,
				   int *code, const char **arg, size_t *arg_len)
{
	re2::RE2::Options o;
	o.set_log_errors(false);
	o.set_encoding(re2::RE2::Options::EncodingUTF8);
	o.set_longest_match(false); // Go's leftmost-first
	o.set_max_mem(max_mem);
	rx_re2 *r = new (std::nothrow) rx_re2;
	if (!r)
		return nullptr;
	r->re = new (std::nothrow) re2::RE2(re2::StringPiece(n ? pat : "", n), o);
	if (!r->re) {
		delete r;
		return nullptr;
	}
	*code = r->re->error_code();
	if (*code != re2::RE2::NoError) {
		// error_arg() lives as long as the RE2 object: the caller copies it
		// before rx_re2_free.
		*arg = r->re->error_arg().data();
		*arg_len = r->re->error_arg().size();
	}
	return r;
}

extern "C" void rx_re2_free(rx_re2 *r)
{
	if (!r)
		return;
	delete r->re;
	delete r;
}

extern "C" int rx_re2_groups(const rx_re2 *r)
{
	return r->re->NumberOfCapturingGroups();
}

extern "C" const char *rx_re2_group_name(const rx_re2 *r, int i)
{
	const std::map<int, std::string> &names = r->re->CapturingGroupNames();
	auto it = names.find(i);
	return it == names.end() ? nullptr : it->second.c_str();
}

extern "C" int rx_re2_match(const rx_re2 *r, const char *text, size_t n, size_t pos,
			    long long *caps, int ngroups)
{
	re2::StringPiece one, *sub = ngroups > 1 ? new (std::nothrow) re2::StringPiece[ngroups] : &one;
	if (!sub)
		return -1;
	// A NULL text would leave a matched empty group indistinguishable from an
	// unmatched one (re2.h): point an empty text at a real byte.
	const char *t = n ? text : "";
	bool found = r->re->Match(re2::StringPiece(t, n), pos, n, re2::RE2::UNANCHORED, sub, ngroups);
	for (int i = 0; found && i < ngroups; i++) {
		if (sub[i].data() == nullptr) {
			caps[2 * i] = caps[2 * i + 1] = -1;
		} else {
			caps[2 * i] = sub[i].data() - t;
			caps[2 * i + 1] = caps[2 * i] + (long long)sub[i].size();
		}
	}
	if (sub != &one)
		delete[] sub;
	return found;
}
