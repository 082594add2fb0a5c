/* ast.c: printing nodes as Go's Node.String() does, and Go's IsEmptyTree. */
#include "ast.h"

#include <string.h>

#include "fmt.h"
#include "utf8.h"

static void ast_idents(sbuf *out, const ast_ident *ids, size_t n, int lead_dot)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0 || lead_dot)
			sbuf_putc(out, '.');
		sbuf_put(out, ids[i].s, ids[i].len);
	}
}

static void ast_pipe(sbuf *out, const ast_node *p)
{
	if (p->u.pipe.ndecl > 0) {
		for (size_t i = 0; i < p->u.pipe.ndecl; i++) {
			if (i > 0)
				sbuf_puts(out, ", ");
			ast_string(out, p->u.pipe.decl[i]);
		}
		sbuf_puts(out, " := ");
	}
	for (size_t i = 0; i < p->u.pipe.ncmds; i++) {
		if (i > 0)
			sbuf_puts(out, " | ");
		ast_string(out, p->u.pipe.cmds[i]);
	}
}

static void ast_operand(sbuf *out, const ast_node *n)
{
	if (n->kind == AST_PIPE) {
		sbuf_putc(out, '(');
		ast_pipe(out, n);
		sbuf_putc(out, ')');
	} else {
		ast_string(out, n);
	}
}

void ast_string(sbuf *out, const ast_node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case AST_LIST:
		for (size_t i = 0; i < n->u.list.n; i++)
			ast_string(out, n->u.list.items[i]);
		break;
	case AST_TEXT:
		sbuf_put(out, n->u.text.s, n->u.text.len);
		break;
	case AST_ACTION:
		sbuf_puts(out, "{{");
		ast_pipe(out, n->u.action.pipe);
		sbuf_puts(out, "}}");
		break;
	case AST_IF:
	case AST_RANGE:
	case AST_WITH:
		sbuf_puts(out, n->kind == AST_IF ? "{{if " : n->kind == AST_RANGE ? "{{range " : "{{with ");
		ast_pipe(out, n->u.branch.pipe);
		sbuf_puts(out, "}}");
		ast_string(out, n->u.branch.list);
		if (n->u.branch.else_list) {
			sbuf_puts(out, "{{else}}");
			ast_string(out, n->u.branch.else_list);
		}
		sbuf_puts(out, "{{end}}");
		break;
	case AST_TEMPLATE:
		sbuf_puts(out, "{{template ");
		fmt_quote(out, n->u.tmpl.name, n->u.tmpl.len);
		if (n->u.tmpl.pipe) {
			sbuf_putc(out, ' ');
			ast_pipe(out, n->u.tmpl.pipe);
		}
		sbuf_puts(out, "}}");
		break;
	case AST_BREAK:
		sbuf_puts(out, "{{break}}");
		break;
	case AST_CONTINUE:
		sbuf_puts(out, "{{continue}}");
		break;
	case AST_PIPE:
		ast_pipe(out, n);
		break;
	case AST_COMMAND:
		for (size_t i = 0; i < n->u.cmd.n; i++) {
			if (i > 0)
				sbuf_putc(out, ' ');
			ast_operand(out, n->u.cmd.args[i]);
		}
		break;
	case AST_FIELD:
		ast_idents(out, n->u.field.idents, n->u.field.n, 1);
		break;
	case AST_VARIABLE:
		ast_idents(out, n->u.field.idents, n->u.field.n, 0);
		break;
	case AST_CHAIN:
		ast_operand(out, n->u.chain.node);
		ast_idents(out, n->u.chain.idents, n->u.chain.n, 1);
		break;
	case AST_IDENT:
		sbuf_puts(out, n->u.ident.name);
		break;
	case AST_DOT:
		sbuf_putc(out, '.');
		break;
	case AST_NIL:
		sbuf_puts(out, "nil");
		break;
	case AST_BOOL:
		sbuf_puts(out, n->u.boolean ? "true" : "false");
		break;
	case AST_NUMBER:
		sbuf_puts(out, n->u.num.text);
		break;
	case AST_STRING:
		sbuf_puts(out, n->u.str.quoted);
		break;
	}
}

/* bytes.TrimSpace(text) is empty: every rune is Unicode white space. */
static bool ast_blank(const char *s, size_t len)
{
	size_t i = 0, sz;
	while (i < len) {
		int32_t r = u8_decode(s + i, len - i, &sz);
		if (sz == 1 && (unsigned char)s[i] >= 0x80)
			return false;
		if (!u8_isspace(r))
			return false;
		i += sz;
	}
	return true;
}

bool ast_is_empty(const ast_node *n)
{
	if (!n)
		return true;
	switch (n->kind) {
	case AST_LIST:
		for (size_t i = 0; i < n->u.list.n; i++)
			if (!ast_is_empty(n->u.list.items[i]))
				return false;
		return true;
	case AST_TEXT:
		return ast_blank(n->u.text.s, n->u.text.len);
	default:
		return false;
	}
}
