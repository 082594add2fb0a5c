/* helm.h: what helm.c's table takes from helm_toml.c (Helm's toToml, BurntSushi/toml's encoder). */
#ifndef TMPL_HELM_H
#define TMPL_HELM_H

#include "func.h"

/* toToml(any) string: BurntSushi/toml's Encode of the value; its error
 * text ("toml: ...") as the result when it cannot be encoded. */
int helm_to_toml(tmpl_call *c, const tv **r);

#endif
