/* smp.c: Kubernetes' strategic merge patch for a Pod in its JSON form (k8s.io/apimachinery strategicpatch): maps merge, a null deletes, lists with a patchMergeKey in core/v1's tags merge element by element, every other list is replaced. */
#include "inject.h"

#include <string.h>

/* The lists of a Pod whose Go field carries patchStrategy:"merge" and a
 * patchMergeKey (k8s.io/api core/v1 and meta/v1 types.go), by JSON field
 * name: within a Pod each of these names means one field. */
static const char *const smp_keys[][2] = {
	{"containers", "name"},        /* PodSpec.Containers */
	{"initContainers", "name"},    /* PodSpec.InitContainers */
	{"ephemeralContainers", "name"},
	{"volumes", "name"},           /* PodSpec.Volumes (merge,retainKeys) */
	{"imagePullSecrets", "name"},
	{"hostAliases", "ip"},
	{"resourceClaims", "name"},
	{"schedulingGates", "name"},
	{"env", "name"},               /* Container.Env */
	{"ports", "containerPort"},    /* Container.Ports */
	{"volumeMounts", "mountPath"}, /* Container.VolumeMounts */
	{"volumeDevices", "devicePath"},
	{"ownerReferences", "uid"},    /* ObjectMeta.OwnerReferences */
};

static const char *merge_key(const char *field)
{
	if (!field)
		return NULL;
	for (size_t i = 0; i < sizeof smp_keys / sizeof smp_keys[0]; i++)
		if (strcmp(field, smp_keys[i][0]) == 0)
			return smp_keys[i][1];
	return NULL;
}

static const tv *merge_value(tmpl_arena *a, const char *field, const tv *orig, const tv *patch);

/* The VolumeSource of a volume is retainKeys: a merged volume keeps only
 * the keys its patch names (and the merge key). */
static const tv *retain_keys(tmpl_arena *a, const tv *merged, const tv *patch)
{
	tv *m = tv_map_new(a, merged->u.map.len);
	for (size_t i = 0; i < merged->u.map.len; i++) {
		const tv_pair *p = &merged->u.map.pairs[i];
		if (p->key->kind == TV_STRING && inj_get(patch, p->key->u.s.ptr))
			tv_map_add(a, m, p->key, p->val);
	}
	tv_map_seal(a, m);
	return m;
}

/* The index of the element with key value kv in list, or -1. */
static long index_of(const tv *list, const char *key, const tv *kv)
{
	for (size_t i = 0; kv && list && list->kind == TV_LIST && i < list->u.list.len; i++) {
		const tv *ok = inj_get(list->u.list.items[i], key);
		if (ok && tv_equal(ok, kv))
			return (long)i;
	}
	return -1;
}

/* normalizeElementOrder: the elements the patch names keep the patch's
 * order, the others the original's, and the two are interleaved by
 * mergeSortedSlice: an original-only element goes first only when both it
 * and the next patch element are in the original and it comes before. */
static const tv *element_order(tmpl_arena *a, const char *key, const tv *merged,
			       const tv *orig, const tv *patch)
{
	size_t n = merged->u.list.len, np = 0, ns = 0;
	const tv **pi = arena_alloc(a, (n ? n : 1) * sizeof *pi);
	const tv **so = arena_alloc(a, (n ? n : 1) * sizeof *so);
	/* patch items in patch order */
	for (size_t j = 0; j < patch->u.list.len; j++) {
		long at = index_of(merged, key, inj_get(patch->u.list.items[j], key));
		bool dup = false;
		for (size_t k = 0; at >= 0 && k < np; k++)
			dup = dup || pi[k] == merged->u.list.items[at];
		if (at >= 0 && !dup)
			pi[np++] = merged->u.list.items[at];
	}
	for (size_t i = 0; i < n; i++)
		if (index_of(patch, key, inj_get(merged->u.list.items[i], key)) < 0)
			so[ns++] = merged->u.list.items[i];
	tv *l = tv_list_new(a, np + ns);
	size_t i = 0, j = 0;
	for (size_t k = 0; k < np + ns; k++) {
		if (i >= ns) {
			l->u.list.items[k] = pi[j++];
		} else if (j >= np) {
			l->u.list.items[k] = so[i++];
		} else {
			long li = index_of(orig, key, inj_get(so[i], key));
			long ri = index_of(orig, key, inj_get(pi[j], key));
			if (li >= 0 && ri >= 0 && li < ri)
				l->u.list.items[k] = so[i++];
			else
				l->u.list.items[k] = pi[j++];
		}
	}
	return l;
}

/* mergeSlice: each patch element merges into the original element with the
 * same key value, or is added; then the order is normalised. */
static const tv *merge_list(tmpl_arena *a, const char *field, const char *key, const tv *orig,
			    const tv *patch)
{
	size_t no = orig && orig->kind == TV_LIST ? orig->u.list.len : 0;
	tv *l = tv_list_new(a, no + patch->u.list.len);
	size_t n = 0;
	for (size_t i = 0; i < no; i++)
		l->u.list.items[n++] = orig->u.list.items[i];
	for (size_t j = 0; j < patch->u.list.len; j++) {
		const tv *pe = patch->u.list.items[j];
		const tv *kv = inj_get(pe, key);
		size_t i = 0;
		for (; kv && i < n; i++) {
			const tv *ok = inj_get(l->u.list.items[i], key);
			if (ok && tv_equal(ok, kv))
				break;
		}
		if (kv && i < n) {
			const tv *m = merge_value(a, NULL, l->u.list.items[i], pe);
			if (strcmp(field, "volumes") == 0 && m && m->kind == TV_MAP)
				m = retain_keys(a, m, pe);
			l->u.list.items[i] = m;
		} else {
			l->u.list.items[n++] = pe;
		}
	}
	l->u.list.len = n;
	return element_order(a, key, l, orig, patch);
}

static const tv *merge_map(tmpl_arena *a, const tv *orig, const tv *patch)
{
	const tv *m = orig;
	for (size_t i = 0; i < patch->u.map.len; i++) {
		const tv_pair *p = &patch->u.map.pairs[i];
		if (p->key->kind != TV_STRING)
			continue;
		const char *k = p->key->u.s.ptr;
		if (!p->val || p->val->kind == TV_NULL) {
			m = inj_without(a, m, k); /* a null deletes */
			continue;
		}
		m = inj_set(a, m, k, merge_value(a, k, inj_get(orig, k), p->val));
	}
	return m;
}

static const tv *merge_value(tmpl_arena *a, const char *field, const tv *orig, const tv *patch)
{
	if (!patch || patch->kind == TV_NULL)
		return patch;
	if (patch->kind == TV_MAP && orig && orig->kind == TV_MAP)
		return merge_map(a, orig, patch);
	const char *key = merge_key(field);
	if (patch->kind == TV_LIST && key)
		return merge_list(a, field, key, orig, patch);
	return patch;
}

const tv *inj_smp_pod(tmpl_arena *a, const tv *orig, const tv *patch)
{
	if (!patch || patch->kind != TV_MAP)
		return orig;
	if (!orig || orig->kind != TV_MAP)
		orig = tv_map_new(a, 0);
	return merge_map(a, orig, patch);
}
