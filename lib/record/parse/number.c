/* The number and symbol: "Số: 1471/UBND-KGVX", "Số 15-TB/ĐU". */

#include <string.h>

#include "text/fold.h"
#include "record/parse/parse.h"

/* "Số: 1471/UBND-KGVX": sets *after to the offset after "Số:". */
int ps_is_so_line(ctx_t *c, size_t i, size_t *after)
{
    size_t fn;
    const char *f = fold_line(c, i, &fn);
    size_t e = fm(f, fn, 0, voc_so);
    if (e == NPOS)
        return 0;
    size_t k = skip_sp(f, fn, e);
    if (k < fn && f[k] == ':') {
        *after = c->lmap[k + 1];
        return 1;
    }
    if (k > e && k < fn && (is_dig(f[k]) || f[k] == '/'))
        for (size_t t = k; t < fn && f[t] != ' '; t++)
            if (f[t] == '/') {
                *after = c->lmap[k];
                return 1;
            }
    return 0;
}

char *ps_symbol_code(ctx_t *c, const char **code, size_t *len)
{
    const char *sym = c->doc->symbol;
    size_t y = ps_lead_digits(sym);
    if (y && sym[y] == '/')
        sym += y + 1;
    size_t d1 = strcspn(sym, "-/");
    char *f0 = tc_fold(sym, d1);
    if (!f0)
        c->oom = 1;
    *code = sym;
    *len = d1;
    return f0;
}

void ps_read_number(ctx_t *c, size_t i, size_t p)
{
    const char *s = LS(c, i);
    size_t n = LN(c, i);
    while (p < n && is_sp(s[p]))
        p++;
    size_t q = p;
    while (q < n && s[q] != '/' && !is_sp(s[q]))
        q++;
    size_t r = q;
    while (r < n && is_sp(s[r]))
        r++;
    c->sym_end = q;
    if (r < n && s[r] == '/') {
        size_t a = r + 1, b = a;
        while (b < n && !is_sp(s[b]))
            b++;
        c->sym_end = b;
        ps_rstrip(s, a, &b, ".,;:");
        size_t d = 0;
        while (p + d < q && is_dig(s[p + d]))
            d++;
        if (d && p + d + 1 < q && s[p + d] == '-') {
            /* Party style "15-TB/ĐU": number 15, symbol TB/ĐU. */
            ps_set_field(c, &c->doc->number, s + p, d);
            if (!c->doc->symbol)
                c->doc->symbol = ps_join3(c, s + p + d + 1, q - p - d - 1, "/", s + a, b - a);
            return;
        }
        if (has_digit(s + p, q - p))
            ps_set_field(c, &c->doc->number, s + p, q - p);
        if (b > a)
            ps_set_field(c, &c->doc->symbol, s + a, b - a);
    } else if (has_digit(s + p, q - p)) {
        size_t b = q;
        ps_rstrip(s, p, &b, ".,;:");
        ps_set_field(c, &c->doc->number, s + p, b - p);
    }
}
