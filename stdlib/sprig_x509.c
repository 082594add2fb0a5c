#include "sprig.h"
const tmpl_func sprig_x509_funcs[] = {{NULL, 0, 0, 0, NULL}};
