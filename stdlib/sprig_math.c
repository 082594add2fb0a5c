/* sprig_math.c: sprig's conversions (atoi, int, int64, float64, toDecimal) and integer and float arithmetic (add, sub, div, mod, mul, max, min, floor, ceil, round, addf, add1f, subf, mulf, divf, maxf, minf), with spf13/cast's conversions and Go's int64 wrap-around and panics.
 *
 * sprig's integer results are Go int64 values (typed: %T says int64, and an
 * int parameter rejects them as Go does); atoi and int give Go ints.
 *
 * addf, add1f, subf, mulf and divf compute in shopspring/decimal: each
 * float64 becomes the decimal of its shortest round-trip digits, sums and
 * products are exact, a quotient is rounded half away from zero to 16
 * decimal places, and the result is the float64 nearest the exact decimal.
 * We do the same in GMP integers (value = mantissa x 10^exp), and let
 * strtod (correctly rounded, as big.Rat's Float64) make the float64.
 */
#include <errno.h>
#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_impl.h"
#include "fnarg.h"
#include "sprig.h"
#include "types.h"
#include "types/tables.h"
#include "yaml_num.h"

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
	/* Go's hexadecimal floats need a 'p' exponent ("0x1p4"); strtod's do not */
	const char *x = buf + (buf[0] == '+' || buf[0] == '-');
	if (x[0] == '0' && (x[1] == 'x' || x[1] == 'X') && !strpbrk(x, "pP"))
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

/* sprig's toDecimal: strconv.ParseInt(fmt.Sprint(v), 8, 64), the octal text
 * as an int64; 0 on any error (out of range included). */
static int sm_to_decimal(tmpl_call *c, const tv **r)
{
	sbuf b = SBUF_INIT;
	if (sprig_strval_call(c, &b, c->args[0]) != 0) {
		sbuf_free(&b);
		return -1;
	}
	int64_t v = 0;
	if (!yn_parse_int(b.buf ? b.buf : "", b.len, 8, true, &v))
		v = 0;
	sbuf_free(&b);
	*r = sm_int64(c, v);
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

/* ---- float arithmetic through shopspring/decimal ---- */

/* A decimal: m x 10^exp. */
typedef struct sm_dec {
	mpz_t m;
	long exp;
} sm_dec;

/* decimal.NewFromFloat: the shortest digits that read back as f (Go's
 * strconv 'e' -1 form); NaN and infinities are its panic. */
static int sm_dec_from(tmpl_call *c, sm_dec *d, double f)
{
	mpz_init(d->m);
	d->exp = 0;
	if (isnan(f) || isinf(f))
		return tmpl_call_errorf(c, "Cannot create a Decimal from %s",
					isnan(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf");
	if (f == 0)
		return 0;
	sbuf b = SBUF_INIT;
	fmt_strconv_float(&b, f, 'e', -1); /* "-1.2345e+06" */
	char digits[32];
	size_t nd = 0;
	const char *p = b.buf, *e = strchr(b.buf, 'e');
	if (*p == '-')
		digits[nd++] = *p++;
	for (; p < e && nd < sizeof digits - 1; p++)
		if (*p != '.')
			digits[nd++] = *p;
	digits[nd] = 0;
	long fracdigits = (long)(strchr(b.buf, '.') ? e - strchr(b.buf, '.') - 1 : 0);
	d->exp = strtol(e + 1, NULL, 10) - fracdigits;
	mpz_set_str(d->m, digits, 10);
	sbuf_free(&b);
	return 0;
}

/* Both to the smaller exponent (decimal.RescalePair). */
static void sm_dec_align(sm_dec *a, sm_dec *b)
{
	sm_dec *hi = a->exp > b->exp ? a : b, *lo = hi == a ? b : a;
	if (hi->exp == lo->exp)
		return;
	mpz_t p;
	mpz_init(p);
	mpz_ui_pow_ui(p, 10, (unsigned long)(hi->exp - lo->exp));
	mpz_mul(hi->m, hi->m, p);
	hi->exp = lo->exp;
	mpz_clear(p);
}

/* decimal's Div: DivRound(b, 16), the quotient to 16 decimal places, half
 * away from zero; b is not zero. */
static void sm_dec_div(sm_dec *a, sm_dec *b)
{
	enum { PREC = 16 };
	mpz_t aa, bb, q, r, p;
	mpz_inits(aa, bb, q, r, p, NULL);
	long e = a->exp - b->exp + PREC;
	mpz_ui_pow_ui(p, 10, (unsigned long)(e < 0 ? -e : e));
	if (e < 0) {
		mpz_set(aa, a->m);
		mpz_mul(bb, b->m, p);
	} else {
		mpz_mul(aa, a->m, p);
		mpz_set(bb, b->m);
	}
	mpz_tdiv_qr(q, r, aa, bb);
	mpz_abs(r, r);
	mpz_mul_2exp(r, r, 1);
	mpz_abs(bb, bb);
	if (mpz_cmp(r, bb) >= 0) {
		if (mpz_sgn(a->m) * mpz_sgn(b->m) < 0)
			mpz_sub_ui(q, q, 1);
		else
			mpz_add_ui(q, q, 1);
	}
	mpz_swap(a->m, q);
	a->exp = -PREC;
	mpz_clears(aa, bb, q, r, p, NULL);
}

/* The float64 nearest m x 10^exp (big.Rat's Float64: ties to even). */
static double sm_dec_float(sm_dec *d)
{
	if (mpz_sgn(d->m) == 0)
		return 0;
	size_t n = mpz_sizeinbase(d->m, 10) + 32;
	char *s = malloc(n);
	if (!s)
		return 0;
	mpz_get_str(s, 10, d->m);
	size_t len = strlen(s);
	snprintf(s + len, n - len, "e%ld", d->exp);
	double f = strtod(s, NULL); /* an overflow is +-Inf, as in Go */
	free(s);
	return f;
}

enum { SM_ADD, SM_SUB, SM_MUL, SM_DIV };

/* sprig's execDecimalOp: first op each of rest in turn, then a float64. */
static int sm_decimal_op(tmpl_call *c, const tv **r, double first, const tv *const *rest,
			 size_t n, int op)
{
	sm_dec acc, x;
	int rc = sm_dec_from(c, &acc, first);
	mpz_init(x.m);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		mpz_clear(x.m);
		if ((rc = sm_dec_from(c, &x, rest ? sm_to_float(rest[i]) : 1)) < 0)
			break;
		switch (op) {
		case SM_ADD:
		case SM_SUB:
			sm_dec_align(&acc, &x);
			(op == SM_ADD ? mpz_add : mpz_sub)(acc.m, acc.m, x.m);
			break;
		case SM_MUL:
			mpz_mul(acc.m, acc.m, x.m);
			acc.exp += x.exp;
			break;
		default:
			if (mpz_sgn(x.m) == 0) {
				rc = tmpl_call_errorf(c, "decimal division by 0");
				break;
			}
			sm_dec_div(&acc, &x);
		}
	}
	if (rc == 0)
		*r = tv_float(c->arena, sm_dec_float(&acc));
	mpz_clear(x.m);
	mpz_clear(acc.m);
	return rc;
}

static int sm_addf(tmpl_call *c, const tv **r)
{
	return sm_decimal_op(c, r, 0, c->args, c->nargs, SM_ADD);
}

static int sm_add1f(tmpl_call *c, const tv **r)
{
	return sm_decimal_op(c, r, sm_to_float(c->args[0]), NULL, 1, SM_ADD);
}

static int sm_subf(tmpl_call *c, const tv **r)
{
	return sm_decimal_op(c, r, sm_to_float(c->args[0]), c->args + 1, c->nargs - 1, SM_SUB);
}

static int sm_mulf(tmpl_call *c, const tv **r)
{
	return sm_decimal_op(c, r, sm_to_float(c->args[0]), c->args + 1, c->nargs - 1, SM_MUL);
}

static int sm_divf(tmpl_call *c, const tv **r)
{
	return sm_decimal_op(c, r, sm_to_float(c->args[0]), c->args + 1, c->nargs - 1, SM_DIV);
}

/* Go's math.Max and math.Min: an infinity wins, then NaN; +0 > -0. */
static double sm_fmax(double a, double b, bool max)
{
	double inf = max ? INFINITY : -INFINITY;
	if (a == inf || b == inf)
		return inf;
	if (isnan(a) || isnan(b))
		return NAN;
	if (a == 0 && b == 0)
		return (signbit(a) != 0) == max ? b : a;
	return (max ? a > b : a < b) ? a : b;
}

static int sm_minmaxf(tmpl_call *c, const tv **r, bool max)
{
	double a = sm_to_float(c->args[0]);
	for (size_t i = 1; i < c->nargs; i++)
		a = sm_fmax(a, sm_to_float(c->args[i]), max);
	*r = tv_float(c->arena, a);
	return 0;
}

static int sm_maxf(tmpl_call *c, const tv **r)
{
	return sm_minmaxf(c, r, true);
}

static int sm_minf(tmpl_call *c, const tv **r)
{
	return sm_minmaxf(c, r, false);
}

const tmpl_func sprig_math_funcs[] = {
	{"add", 0, -1, 0, sm_addall},
	{"add1", 1, 1, 0, sm_add1},
	{"add1f", 1, 1, 0, sm_add1f},
	{"addf", 0, -1, 0, sm_addf},
	{"atoi", 1, 1, 0, sm_atoi},
	{"biggest", 1, -1, 0, sm_max},
	{"ceil", 1, 1, 0, sm_ceil},
	{"div", 2, 2, 0, sm_div},
	{"divf", 1, -1, 0, sm_divf},
	{"float64", 1, 1, 0, sm_float64},
	{"floor", 1, 1, 0, sm_floor},
	{"int", 1, 1, 0, sm_int},
	{"int64", 1, 1, 0, sm_toint64},
	{"max", 1, -1, 0, sm_max},
	{"maxf", 1, -1, 0, sm_maxf},
	{"min", 1, -1, 0, sm_min},
	{"minf", 1, -1, 0, sm_minf},
	{"mod", 2, 2, 0, sm_mod},
	{"mul", 1, -1, 0, sm_mulall},
	{"mulf", 1, -1, 0, sm_mulf},
	{"round", 2, -1, 0, sm_round},
	{"sub", 2, 2, 0, sm_sub},
	{"subf", 1, -1, 0, sm_subf},
	{"toDecimal", 1, 1, 0, sm_to_decimal},
	{NULL, 0, 0, 0, NULL}
};
