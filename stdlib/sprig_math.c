/* sprig_math.c: sprig's conversions (atoi, int, int64, float64) and integer and float arithmetic (add, sub, div, mod, mul, max, min, floor, ceil, round), with spf13/cast's conversions and Go's int64 wrap-around and panics.
 *
 * sprig's integer results are Go int64 values (typed: %T says int64, and an
 * int parameter rejects them as Go does); atoi and int give Go ints.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fnarg.h"
#include "sprig.h"
#include "types.h"
#include "types/tables.h"

static const tv *sm_int64(tmpl_call *c, int64_t i)
{
	tv *v = (tv *)tv_int(c->arena, i);
	v->type = &types_go_int64;
	return v;
}

/* Go's wrap-around int64 arithmetic. */
static int64_t sm_add(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int64_t sm_mul(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}

/* strconv.ParseFloat(s, 64) as cast uses it: 0 on a syntax or range error. */
static double sm_parse_float(const char *s, size_t n)
{
	char buf[128];
	if (n == 0 || n >= sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = 0;
	for (size_t i = 0; i < n; i++) /* C's strtod takes spaces, "nan(...)" and more */
		if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\v' ||
		    buf[i] == '\f' || buf[i] == '\r' || buf[i] == '(' || buf[i] == '_')
			return 0;
	char *end;
	errno = 0;
	double f = strtod(buf, &end);
	if (*end || end == buf)
		return 0;
	if (errno == ERANGE && isinf(f))
		return 0;
	return f;
}

/* cast.ToFloat64. */
static double sm_to_float(const tv *v)
{
	if (!v)
		return 0;
	switch (v->kind) {
	case TV_INT:
	case TV_UINT8:
		return (double)v->u.i;
	case TV_FLOAT:
		return v->u.f;
	case TV_BOOL:
		return v->u.b ? 1 : 0;
	case TV_STRING:
		return sm_parse_float(v->u.s.ptr, v->u.s.len);
	default:
		return 0;
	}
}

/* strconv.Atoi: decimal with an optional sign; 0 on an error. */
static int sm_atoi(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	size_t i = 0;
	bool neg = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	uint64_t u = 0;
	bool ok = i < n, big = false;
	for (; ok && i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			ok = false;
		else if (u > (UINT64_MAX - 9) / 10)
			big = true;
		else
			u = u * 10 + (uint64_t)(s[i] - '0');
	}
	int64_t v = 0;
	if (ok && (big || (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX)))
		v = neg ? INT64_MIN : INT64_MAX; /* a range error comes with the clamped value */
	else if (ok)
		v = neg ? (int64_t)(0 - u) : (int64_t)u;
	*r = tv_int(c->arena, v);
	return 0;
}

static int sm_int(tmpl_call *c, const tv **r)
{
	*r = tv_int(c->arena, sprig_to_int(c->args[0]));
	return 0;
}

static int sm_toint64(tmpl_call *c, const tv **r)
{
	*r = sm_int64(c, sprig_to_int(c->args[0]));
	return 0;
}

static int sm_float64(tmpl_call *c, const tv **r)
{
	*r = tv_float(c->arena, sm_to_float(c->args[0]));
	return 0;
}

static int sm_add1(tmpl_call *c, const tv **r)
{
	*r = sm_int64(c, sm_add(sprig_to_int(c->args[0]), 1));
	return 0;
}

static int sm_addall(tmpl_call *c, const tv **r)
{
	int64_t a = 0;
	for (size_t i = 0; i < c->nargs; i++)
		a = sm_add(a, sprig_to_int(c->args[i]));
	*r = sm_int64(c, a);
	return 0;
}

static int sm_sub(tmpl_call *c, const tv **r)
{
	int64_t a = sprig_to_int(c->args[0]), b = sprig_to_int(c->args[1]);
	*r = sm_int64(c, (int64_t)((uint64_t)a - (uint64_t)b));
	return 0;
}

static int sm_divmod(tmpl_call *c, const tv **r, bool mod)
{
	int64_t a = sprig_to_int(c->args[0]), b = sprig_to_int(c->args[1]);
	if (b == 0)
		return tmpl_call_errorf(c, "runtime error: integer divide by zero");
	if (b == -1) /* Go: MinInt64 / -1 wraps to MinInt64, % -1 is 0 */
		*r = sm_int64(c, mod ? 0 : (int64_t)(0 - (uint64_t)a));
	else
		*r = sm_int64(c, mod ? a % b : a / b);
	return 0;
}

static int sm_div(tmpl_call *c, const tv **r)
{
	return sm_divmod(c, r, false);
}

static int sm_mod(tmpl_call *c, const tv **r)
{
	return sm_divmod(c, r, true);
}

static int sm_mulall(tmpl_call *c, const tv **r)
{
	int64_t a = sprig_to_int(c->args[0]);
	for (size_t i = 1; i < c->nargs; i++)
		a = sm_mul(a, sprig_to_int(c->args[i]));
	*r = sm_int64(c, a);
	return 0;
}

static int sm_minmax(tmpl_call *c, const tv **r, bool max)
{
	int64_t a = sprig_to_int(c->args[0]);
	for (size_t i = 1; i < c->nargs; i++) {
		int64_t b = sprig_to_int(c->args[i]);
		if (max ? b > a : b < a)
			a = b;
	}
	*r = sm_int64(c, a);
	return 0;
}

static int sm_max(tmpl_call *c, const tv **r)
{
	return sm_minmax(c, r, true);
}

static int sm_min(tmpl_call *c, const tv **r)
{
	return sm_minmax(c, r, false);
}

static int sm_floor(tmpl_call *c, const tv **r)
{
	*r = tv_float(c->arena, floor(sm_to_float(c->args[0])));
	return 0;
}

static int sm_ceil(tmpl_call *c, const tv **r)
{
	*r = tv_float(c->arena, ceil(sm_to_float(c->args[0])));
	return 0;
}

/* round X PLACES [ROUND_ON]: up when the fraction of X*10^PLACES reaches
 * ROUND_ON (0.5), else down: negative halves go down, as sprig does. */
static int sm_round(tmpl_call *c, const tv **r)
{
	int64_t places;
	if (fnarg_int(c, 1, &places) < 0)
		return -1;
	double on = 0.5;
	if (c->nargs > 2) {
		/* a float64 parameter: template number constants arrive as ints */
		const tv *o = c->args[2];
		if (o && o->kind == TV_INT && !o->type)
			on = (double)o->u.i;
		else if (o && o->kind == TV_FLOAT && !o->type)
			on = o->u.f;
		else
			return fnarg_type_error(c, "float64", o);
	}
	double val = sm_to_float(c->args[0]);
	double pw = pow(10, (double)places);
	double digit = pw * val, ip;
	double frac = modf(digit, &ip);
	double rd = frac >= on ? ceil(digit) : floor(digit);
	*r = tv_float(c->arena, rd / pw);
	return 0;
}

const tmpl_func sprig_math_funcs[] = {
	{"add", 0, -1, 0, sm_addall},
	{"add1", 1, 1, 0, sm_add1},
	{"atoi", 1, 1, 0, sm_atoi},
	{"biggest", 1, -1, 0, sm_max},
	{"ceil", 1, 1, 0, sm_ceil},
	{"div", 2, 2, 0, sm_div},
	{"float64", 1, 1, 0, sm_float64},
	{"floor", 1, 1, 0, sm_floor},
	{"int", 1, 1, 0, sm_int},
	{"int64", 1, 1, 0, sm_toint64},
	{"max", 1, -1, 0, sm_max},
	{"min", 1, -1, 0, sm_min},
	{"mod", 2, 2, 0, sm_mod},
	{"mul", 1, -1, 0, sm_mulall},
	{"round", 2, -1, 0, sm_round},
	{"sub", 2, 2, 0, sm_sub},
	{NULL, 0, 0, 0, NULL}
};
