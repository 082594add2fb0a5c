/* types.h: Go types of Kubernetes and Istio objects, described as data, and the typed values built from YAML with them.
 *
 * Istio hands its injection template Go structs, not maps. A type
 * description says, for one Go type, what a template sees (Go field names,
 * zero values, getters, enum names, durations) and what Go's encoding/json
 * writes back (JSON names, omitempty, the zero-value artefacts such as
 * `creationTimestamp: null` and `resources: {}`). The tables are generated
 * data in stdlib/types/ (gen/gen.py); the code over them lives here in src/:
 * types_registry.c (lookup by name, fields by Go or JSON name), types_view.c
 * (typed values), types_norm.c (Go's round trip), types_quantity.c. This
 * header is their contract.
 *
 * Typed values are ordinary values (tmpl_value.h) whose `type` is set:
 *   TK_STRUCT         kind TV_STRUCT, u.strct.raw = the YAML map (or NOVALUE
 *                     for the zero struct); fields are fetched lazily
 *   TK_PTR to struct  a TV_STRUCT of the pointer type, or TV_NULL with the
 *                     pointer type (Go's nil pointer)
 *   TK_MAP, TK_SLICE  TV_MAP / TV_LIST (a nil map or slice is empty)
 *   TK_ENUM           TV_INT holding the number; prints its name
 *   TK_DURATION       TV_INT holding nanoseconds; prints "45s", "1m0s"
 *   wrapperspb.XValue TK_STRUCT (go_name "wrapperspb.BoolValue", ...) with one
 *                     field Value; protobuf JSON writes the bare value
 *                     (`enablePrometheusMerge: true`), not {value: true}
 *   scalars           plain TV_STRING / TV_INT / TV_BOOL / TV_FLOAT, with type
 *                     set only where Go's type name differs from the default
 */
#ifndef TMPL_TYPES_H
#define TMPL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "sbuf.h"
#include "tmpl_value.h"

typedef enum tmpl_type_kind {
	TK_STRING,
	TK_BOOL,
	TK_INT,       /* Go int, int32, int64 (go_name says which) */
	TK_UINT,      /* Go uint32, uint64 */
	TK_FLOAT,     /* Go float32, float64 */
	TK_BYTES,     /* []byte: base64 in JSON */
	TK_ENUM,      /* protobuf enum: int32 with names; JSON/YAML accept name or number */
	TK_DURATION,  /* protobuf Duration (*types.Duration): YAML "45s" or {seconds, nanos} */
	TK_QUANTITY,  /* Kubernetes resource.Quantity: a canonical string ("10m", "1Gi") */
	TK_INTORSTR,  /* Kubernetes intstr.IntOrString: int or string as written */
	TK_TIME,      /* metav1.Time: JSON null when zero */
	TK_STRUCT,    /* fields */
	TK_PTR,       /* *elem: nil when absent */
	TK_SLICE,     /* []elem */
	TK_MAP,       /* map[string]elem */
	TK_ANY        /* interface{} or raw JSON: the YAML value as it is */
} tmpl_type_kind;

/* Field flags. */
enum {
	TF_OMITEMPTY = 1u << 0, /* json:",omitempty" */
	TF_INLINE = 1u << 1,    /* json:",inline": the elem's fields sit in the parent */
	TF_OMITZERO = 1u << 2   /* json:",omitzero" (Go 1.24): left out when zero, e.g. the
				 * newest ObjectMeta's creationTimestamp (no `null`) */
};

typedef struct tmpl_type tmpl_type;

/* A Go method of a native type (below), written in C, that templates call as
 * Go's text/template calls methods: `{{ $v.Major }}`, `{{ $v.Compare $w }}`,
 * `{{ $w | $v.Compare }}`. The evaluator checks the count of arguments and
 * converts each to its parameter type with Go's words (exec.go's evalCall),
 * so call sees recv (a value of the type, or of the pointer type whose elem
 * it is) and nparams arguments of the parameter types (a nil pointer is a
 * TV_NULL of its type). Returns 0 and *out, or -1 with the text of the error
 * the Go method returns or of the panic it raises in err (the evaluator adds
 * "error calling NAME: "). */
typedef struct tmpl_method {
	const char *name;
	size_t nparams;
	const tmpl_type *const *params;
	int (*call)(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out,
		    sbuf *err);
} tmpl_method;

/* What makes a type native: its values are made by C code (a sprig function),
 * not read from YAML. Such a value is a TV_STRUCT of the type (TK_PTR for a
 * pointer type, TK_STRUCT for the struct) with its C data after the tv, and
 * u.strct.raw is the value Go's encoding/json writes for it (its MarshalJSON,
 * usually a string), which the typed round trip gives as it is. */
typedef struct tmpl_native {
	const tmpl_method *methods; /* the type's own method set (a pointer type's
				     * set adds its elem's, as Go's does) */
	size_t nmethods;
	/* fmt.Stringer: how %v, %s and {{ }} print a value (NULL: none) */
	void (*string)(sbuf *out, const tv *v);
	/* Go's == of two values of a comparable struct type (eq); NULL for a
	 * pointer type, compared by identity */
	bool (*equal)(const tv *a, const tv *b);
	/* unexported field names, for Go's "X is an unexported field of struct
	 * type T"; NULL-terminated, or NULL */
	const char *const *unexported;
} tmpl_native;

typedef struct tmpl_field {
	const char *go_name;   /* "Annotations" */
	const char *json_name; /* "annotations" */
	const tmpl_type *type;
	unsigned flags;        /* TF_* */
} tmpl_field;

struct tmpl_type {
	tmpl_type_kind kind;
	const char *go_name;           /* as Go's %T and error messages print it: "v1.ObjectMeta",
					* "*v1.ObjectMeta", "map[string]string", "[]v1.Container" */
	const tmpl_type *elem;         /* TK_PTR, TK_SLICE, TK_MAP */
	const tmpl_field *fields;      /* TK_STRUCT, in Go's declaration order */
	size_t nfields;
	const char *const *enum_names; /* TK_ENUM: names by number, contiguous from 0 (see enum_values) */
	size_t nenum;
	const int *enum_values;        /* TK_ENUM with gaps (INHERIT = 1000): the number of
					* each of enum_names, ascending; NULL when contiguous */
	const tmpl_native *native;     /* a type whose values C code makes, with methods
					* (see tmpl_native); NULL for the tables' types */
};

/* A named type from the tables ("v1.ObjectMeta", "v1.PodSpec", "v1.Container",
 * "meshconfig.ProxyConfig", "meshconfig.MeshConfig", "v1beta1.Deployment", ...),
 * or NULL. */
const tmpl_type *types_lookup(const char *go_name);
/* The field of a struct (or pointer to struct) type by Go name, or NULL. */
const tmpl_field *types_field_go(const tmpl_type *t, const char *name, size_t len);
/* As types_field_go, with name's tv_hash given; when found, *json_len and
 * *json_hash (if json_len is not NULL) get its JSON name's length and tv_hash. */
const tmpl_field *types_field_go_h(const tmpl_type *t, const char *name, size_t len,
				   uint32_t hash, uint32_t *json_len, uint32_t *json_hash);
/* A struct type's fields as encoding/json sees them: the inline (embedded)
 * ones flattened in Go's order (promoted), each with its JSON name as a
 * hashed string value, and an index from JSON name to the first such field. */
typedef struct types_layout {
	size_t n;
	const tmpl_field **fields;
	const tv **keys;        /* TVF_HASHED strings of the JSON names */
	bool *promoted;         /* reached through an inline field */
	tv *key_values;         /* storage of keys */
	int32_t *slots;         /* open addressing: field index or -1 */
	size_t mask;
} types_layout;
/* The layout of a struct (or pointer to struct) type of the tables, built on
 * first use and kept; NULL for a type not in the tables. Thread-safe. */
const types_layout *types_layout_of(const tmpl_type *t);
/* A layout of any struct type, for the caller to free; NULL if t is no struct. */
types_layout *types_layout_new(const tmpl_type *t);
void types_layout_free(types_layout *l);
/* The index of the first field with JSON name [name, len) (tv_hash hash), or -1. */
int types_layout_find(const types_layout *l, const char *name, size_t len, uint32_t hash);
/* The field by JSON name, or NULL. */
const tmpl_field *types_field_json(const tmpl_type *t, const char *name, size_t len);

/* The template's view of raw (a YAML value, or NOVALUE for Go's zero value)
 * as a value of type t (see the top of this file). Unknown YAML keys are
 * ignored as Go's decoder ignores them; a YAML value of the wrong shape for
 * its field is an error in Go's words. */
int types_view(tmpl_arena *a, const tmpl_type *t, const tv *raw, const tv **out,
	       tmpl_error *err);

/* Field access on a typed struct view v by Go name: the field's view, Go's
 * zero value when absent. Also Go's methods that templates call: GetX
 * (nil-safe getters of protobuf messages) and String (enums, durations);
 * the methods of native types are the evaluator's to call (types_method).
 * Returns 0 and *out; 1 when v's type has no such field or method (the
 * evaluator then reports Go's "can't evaluate field X in type T"); -1 on
 * error (err set, e.g. Go's nil pointer dereference). */
int types_get(tmpl_arena *a, const tv *v, const char *name, size_t len, const tv **out,
	      tmpl_error *err);
/* As types_get, with name's tv_hash given; *field (if not NULL) gets the field
 * read, or NULL for a method. */
int types_get_h(tmpl_arena *a, const tv *v, const char *name, size_t len, uint32_t hash,
		const tv **out, const tmpl_field **field, tmpl_error *err);

/* Go's String method of an enum (its name), a duration ("1m0s"), a time or
 * a native value with a Stringer: appends it and returns 1; returns 0 for
 * any other value. */
int types_string(sbuf *out, const tv *v);

/* The method of a native type t (or of its elem, for a pointer type) named
 * [name, len), or NULL. */
const tmpl_method *types_method(const tmpl_type *t, const char *name, size_t len);
/* Is [name, len) an unexported field of native type t (or its elem)? */
bool types_unexported(const tmpl_type *t, const char *name, size_t len);
/* The native type behind a value of native type t (t itself, or the elem of
 * a pointer type), or NULL when t is not native. */
const tmpl_type *types_native_of(const tmpl_type *t);

/* What Go's encoding/json writes for raw decoded into type t and marshalled
 * again: JSON field names, unknown keys dropped, omitempty applied, zero-value
 * artefacts added (`creationTimestamp: null`, `resources: {}`, `status: {}`),
 * scalars converted as ghodss/yaml converts YAML into a typed target (an int
 * written where a string field is expected becomes that string), durations
 * as "45s", quantities canonical. Keys come out in Go's order for the type;
 * writers sort them where Go does. Errors: Go's decoding errors, e.g.
 * `json: cannot unmarshal string into Go struct field Container.ports of
 * type []v1.ContainerPort`. */
int types_normalize(tmpl_arena *a, const tmpl_type *t, const tv *raw, const tv **out,
		    tmpl_error *err);

/* The typed round trip, the one home of its Go-isms for every pipeline:
 * quantities canonical ("2000m" -> "2", types_quantity.c), omitempty fields
 * (an env entry's empty value) left out, omitzero ones too (the newest
 * ObjectMeta writes no `creationTimestamp: null`; Kubernetes 1.11's does),
 * structs and protobuf messages in their declaration order (TVF_STRUCTORDER),
 * durations as protobuf JSON ("23s"). The Go version is the table's: pass a
 * 1.1 type ("v1.Pod") or a newest one ("latest/core/v1.Pod").
 *   Istio 1.1 kube-inject reads each manifest and the rendered injection spec
 *     with TYPES_NORM_GHODSS | TYPES_NORM_GO111 (src/inject/kube.c, render.c);
 *   the webhook decodes the pod of an AdmissionReview with flags 0 (patch.c);
 *   structToJSON and protoToJSON write typed values from it (stdlib/istio.c);
 *   a newest pipeline calls it the same way with its "latest/" types.
 * types_normalize flags. TYPES_NORM_GHODSS: raw is read as ghodss/yaml's
 * Unmarshal reads YAML into a typed target (Istio's injection spec): a YAML
 * number or bool where a string is expected becomes its text ("1337").
 * Without it raw is read as Kubernetes reads a manifest (YAML to JSON, then
 * encoding/json), where that is a decoding error. Struct field errors name
 * the field path as Go 1.19 does: `Go struct field Container.spec.containers.image`;
 * with TYPES_NORM_GO111 only the innermost field, as Go 1.11 (Istio 1.1's
 * build) does: `Go struct field Container.image`. */
enum { TYPES_NORM_GHODSS = 1u << 0, TYPES_NORM_GO111 = 1u << 1 };
int types_normalize_ex(tmpl_arena *a, const tmpl_type *t, const tv *raw, unsigned flags,
		       const tv **out, tmpl_error *err);

/* A protobuf Duration as YAML or JSON gives it ("1.5s", "1m0s" read by Go's
 * time.ParseDuration as gogo's jsonpb does; {seconds, nanos}; whole seconds):
 * 0 and *ns; -1 with err set for a bad text ("bad Duration: time: invalid
 * duration ..."); 1 for a value of another kind (the caller's type error).
 * The typed view and the typed round trip both read durations with it. */
int types_duration_read(const tv *raw, int64_t *ns, tmpl_error *err);

/* Kubernetes resource.Quantity (types_quantity.c), the one home of
 * quantities: the text Quantity.MarshalJSON writes for [s, n) as
 * UnmarshalJSON reads it ("2000m" -> "2", "1024Mi" -> "1Gi", "100Mi" as
 * written), or Kubernetes' error ("quantities must match the regular
 * expression ...", "unable to parse quantity's suffix"). */
int types_quantity_canon(tmpl_arena *a, const char *s, size_t n, const tv **out, tmpl_error *err);
/* Quantity.Value of [s, n): the integer, fractions rounded up ("64Mi" ->
 * 67108864, "1.5k" -> 1500, "0.1" -> 1); -1 for a bad, negative or too
 * large one. */
int types_quantity_value(const char *s, size_t n, uint64_t *out);


#endif
