#!/usr/bin/env python3
"""Peer for bench/run: SQLite FTS5 through Python's sqlite3, used plainly.

  fts5.py build --meta PARSED.jsonl --db FILE
  fts5.py query --db FILE --queries FILE [--repeat K] [--warmup K] [--limit N] [--totals FILE]
  fts5.py probe --docs DIR --queries FILE.json

build: one FTS5 table (tokenize='unicode61 remove_diacritics 2') with the
dispatch text and its metadata as columns (issuer, year, doc_type, subject,
themes, deadlines as text), plus a plain table meta(year) and a table
deadlines(doc, date) for the filters.  The metadata is the record our own
parser printed (`bin/indexer --parse`, one JSON line per file, with `path`);
the text is read from the file itself (gzip too), decoded as UTF-8 and not
otherwise touched.  Timed: reading the files, inserting, committing.

query: each line of the query set (our inline syntax) is translated to an
FTS5 MATCH expression plus SQL for the year and deadline filters (a join on
meta, EXISTS on deadlines); one
query = the top N by bm25 with a snippet of the body, plus the exact count
of matches (what our engine answers: hits with snippets and a total).

probe: indexes the probe documents (files of DIR, as they are) in memory,
runs each probe query, prints {query: [file names, best first]} as JSON.

Prints one JSON object on stdout.  Python 3 standard library only; the
translation helpers (parse_inline, ...) are shared with xapian_plain.py.
"""
import argparse
import datetime
import gzip
import json
import os
import resource
import sqlite3
import sys
import time

# ---------------------------------------------------------------- query set


def read_queries(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\r\n") for l in f if l.strip() and not l.startswith("#")]


OPEN_QUOTES = ('"', "\u201c", "\u201d")
FILTERS = ("issuer", "theme", "type", "doc_type", "year", "deadline")


def _quoted(s, i):
    """s[i] is past an opening quote: (content, index past the closing quote)."""
    j = i
    while j < len(s) and s[j] not in OPEN_QUOTES:
        j += 1
    return s[i:j], (j + 1 if j < len(s) else j)


def parse_inline(text):
    """Our inline query syntax (lib/search/qparse.c) -> dict:
    words: [(text, phrase, negated)], issuers, themes, types: [str],
    year: (from, to) or None, deadlines: [(from_iso, to_iso)]."""
    q = {"words": [], "issuers": [], "themes": [], "types": [], "year": None, "deadlines": []}
    s, i, n = text, 0, len(text)
    while True:
        while i < n and s[i].isspace():
            i += 1
        if i >= n:
            break
        negated = False
        if s[i] == "-" and i + 1 < n and not s[i + 1].isspace():
            negated, i = True, i + 1
        if s[i] in OPEN_QUOTES:
            content, i = _quoted(s, i + 1)
            q["words"].append((content, True, negated))
            continue
        name = None
        if not negated:
            for f in FILTERS:
                if s[i:i + len(f) + 1].lower() == f + ":":
                    name = f
                    break
        if name:
            i += len(name) + 1
            if i < n and s[i] in OPEN_QUOTES:
                value, i = _quoted(s, i + 1)
            else:
                j = i
                while j < n and not s[j].isspace():
                    j += 1
                value, i = s[i:j], j
            value = value.strip()
            if name == "issuer":
                q["issuers"].append(value)
            elif name == "theme":
                q["themes"].append(value)
            elif name in ("type", "doc_type"):
                q["types"].append(value)
            elif name == "year":
                a, dots, b = value.partition("..")
                if dots:
                    q["year"] = (int(a) if a else 1000, int(b) if b else 9999)
                else:
                    q["year"] = (int(a), int(a))
            elif name == "deadline":
                a, dots, b = value.partition("..")
                if not dots:
                    b = a
                q["deadlines"].append((date_end(a, False), date_end(b, True)))
            continue
        j = i
        while j < n and not s[j].isspace():
            j += 1
        q["words"].append((s[i:j], False, negated))
        i = j
    return q


def date_end(value, upper):
    """'2026', '2026-05', '2026-05-03' or '' -> ISO date of the range's end."""
    if not value:
        return "9999-12-31" if upper else "0000-01-01"
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return "%04d-%02d-%02d" % tuple(parts)
    if len(parts) == 2:
        y, m = parts
        if not upper:
            return "%04d-%02d-01" % (y, m)
        nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
        return (nxt - datetime.timedelta(days=1)).isoformat()
    return "%04d-12-31" % parts[0] if upper else "%04d-01-01" % parts[0]


# ---------------------------------------------------------------- corpus


def read_text(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    return raw.decode("utf-8", errors="replace"), len(raw)


def read_records(meta_path):
    with open(meta_path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


def issuer_text(rec):
    return " | ".join(x for x in (rec.get("issuer"), rec.get("issuer_parent"), rec.get("place")) if x)


def themes_text(rec):
    return " | ".join((rec.get("themes") or []) + (rec.get("slogans") or []))


def deadline_dates(rec):
    out = []
    for d in rec.get("deadlines") or []:
        date = d.get("date") if isinstance(d, dict) else d
        if date and len(date) == 10:
            out.append(date)
    return out


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def percentiles(values):
    v = sorted(values)
    n = len(v)

    def pct(p):
        if not n:
            return 0.0
        rank = max(1, min(n, int(p / 100.0 * n + 0.999999)))
        return v[rank - 1]

    return {"p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99),
            "mean_ms": sum(v) / n if n else 0.0, "max_ms": v[-1] if n else 0.0}


def run_timed(queries, run_one, repeat, warmup):
    """Runs every query warmup times untimed, then repeat times timed (the
    whole set per pass, in file order).  Returns (latencies in ms, totals,
    each query's median in ms, errors, wall seconds of the timed passes)."""
    totals = [None] * len(queries)
    per_query = [[] for _ in queries]
    lat = []
    errors = 0
    wall0 = 0.0
    for p in range(-warmup, repeat):
        if p == 0:
            wall0 = time.perf_counter()
        for i, q in enumerate(queries):
            t = time.perf_counter()
            try:
                totals[i] = run_one(q)
            except Exception as e:  # a translation the peer cannot run
                if p == -warmup:
                    print("peer: %r: %s" % (q, e), file=sys.stderr)
                totals[i] = "error"
                if p >= 0:
                    errors += 1
            if p >= 0:
                ms = (time.perf_counter() - t) * 1e3
                lat.append(ms)
                per_query[i].append(ms)
    medians = [sorted(v)[len(v) // 2] if v else 0.0 for v in per_query]
    return lat, totals, medians, errors, time.perf_counter() - wall0


def write_totals(path, queries, totals, medians):
    """total<TAB>median ms<TAB>query per query, as qbench --totals writes."""
    if path:
        with open(path, "w", encoding="utf-8") as f:
            for q, t, m in zip(queries, totals, medians):
                f.write("%s\t%.4f\t%s\n" % (t, m, q))


# ---------------------------------------------------------------- FTS5

COLUMNS = ("issuer", "year", "doc_type", "subject", "themes", "deadlines", "body")
BODY = COLUMNS.index("body")
SCHEMA = """
create virtual table docs using fts5(%s, tokenize='unicode61 remove_diacritics 2');
create table meta(id integer primary key, path text, year integer);
create index meta_year on meta(year);
create table deadlines(doc integer, date text);
create index deadlines_doc on deadlines(doc, date);
""" % ", ".join(COLUMNS)


def fts_string(s):
    return '"' + s.replace('"', '""') + '"'


def translate(q):
    """-> (MATCH expression or None, year range or None, [deadline ranges])."""
    pos, neg = [], []
    for text, phrase, negated in q["words"]:
        if not text.strip():
            continue
        # A bare word is quoted too: FTS5 syntax has no room for '/', '-',
        # '.' ...; the tokenizer makes a phrase of what is inside.
        (neg if negated else pos).append(fts_string(text))
    for s in q["issuers"]:
        # every word of S in the issuer, its parent or its place
        words = [w for w in s.split() if any(c.isalnum() for c in w)]
        if words:
            pos.append("issuer : (%s)" % " AND ".join(fts_string(w) for w in words))
    for s in q["themes"]:
        pos.append("{themes subject} : %s" % fts_string(s))
    for s in q["types"]:
        pos.append("doc_type : %s" % fts_string(s))
    match = None
    if pos:
        match = " AND ".join(pos)
        for x in neg:
            match += " NOT " + x
    return match, q["year"], q["deadlines"]


def plan(q, limit):
    """-> (SQL for the top `limit` ids with snippets, SQL for the count, args).
    With MATCH, FTS5 drives (ranked by bm25) and the metadata tables are
    looked up by rowid (CROSS JOIN keeps that order: SQLite would otherwise
    feed FTS5 rowids one by one and lose its ranked scan); without it, the
    metadata tables drive."""
    match, year, deadlines = translate(q)
    where, args = [], []
    if match:
        where.append("docs match ?")
        args.append(match)
    joins = ""
    if year:
        joins = " cross join meta m on m.id = d.rowid" if match else ""
        where.append("m.year between ? and ?")
        args += list(year)
    for lo, hi in deadlines:
        key = "d.rowid" if match else "m.id"
        where.append("exists (select 1 from deadlines x where x.doc = %s and x.date between ? and ?)" % key)
        args += [lo, hi]
    w = (" where " + " and ".join(where)) if where else ""
    if match:
        top = ("select d.rowid, snippet(docs, %d, '[', ']', '…', 16) from docs d%s%s order by rank limit %d"
               % (BODY, joins, w, limit))
        count = "select count(*) from docs d%s%s" % (joins, w)
    else:
        top = ("select m.id, (select substr(body, 1, 200) from docs where rowid = m.id) from meta m%s limit %d"
               % (w, limit))
        count = "select count(*) from meta m%s" % w
    return top, count, args


class Fts5:
    def __init__(self, con, limit=10):
        self.con, self.limit = con, limit

    def search(self, text, count=True):
        top, count_sql, args = plan(parse_inline(text), self.limit)
        hits = self.con.execute(top, args).fetchall()
        if not count:
            return [h[0] for h in hits]
        return self.con.execute(count_sql, args).fetchone()[0]


def build(args):
    if os.path.exists(args.db):
        os.unlink(args.db)
    t0 = time.perf_counter()
    con = sqlite3.connect(args.db)
    con.executescript(SCHEMA)
    n = raw_bytes = 0
    with con:
        for rec in read_records(args.meta):
            text, size = read_text(rec["path"])
            n += 1
            raw_bytes += size
            dl = deadline_dates(rec)
            con.execute("insert into docs(rowid, %s) values (?, ?, ?, ?, ?, ?, ?, ?)" % ", ".join(COLUMNS),
                        (n, issuer_text(rec), str(rec.get("year") or ""), rec.get("doc_type") or "",
                         rec.get("subject") or "", themes_text(rec), " ".join(dl), text))
            con.execute("insert into meta(id, path, year) values (?, ?, ?)", (n, rec["path"], rec.get("year") or 0))
            con.executemany("insert into deadlines(doc, date) values (?, ?)", [(n, d) for d in dl])
    con.close()
    seconds = time.perf_counter() - t0
    size = os.path.getsize(args.db)
    print(json.dumps({"engine": "fts5", "sqlite": sqlite3.sqlite_version, "docs": n, "raw_bytes": raw_bytes,
                      "build_s": seconds, "docs_per_s": n / seconds, "mb_per_s": raw_bytes / 1e6 / seconds,
                      "index_bytes": size, "peak_rss_mb": peak_rss_mb()}))


def query(args):
    queries = read_queries(args.queries)
    con = sqlite3.connect("file:%s?mode=ro" % args.db, uri=True)
    engine = Fts5(con, args.limit)
    out = {"engine": "fts5", "queries": len(queries), "repeat": args.repeat, "limit": args.limit}
    for mode, count in (("", True), ("top_only_", False)):
        if mode and not args.top_only:
            continue
        # the pass without the count: once, the first pass having warmed up
        repeat, warmup = (args.repeat, args.warmup) if not mode else (1, 0)
        lat, totals, medians, errors, wall = run_timed(queries, lambda q: engine.search(q, count), repeat, warmup)
        for k, v in percentiles(lat).items():
            out[mode + k] = v
        out[mode + "errors"] = errors
        if not mode:
            out["qps_one_thread"] = len(lat) / wall if wall else 0
            out["zero_hit_queries"] = sum(1 for t in totals if t == 0)
            write_totals(args.totals, queries, totals, medians)
    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out))


def probe(args):
    with open(args.queries, encoding="utf-8") as f:
        probe_queries = json.load(f)
    con = sqlite3.connect(":memory:")
    con.executescript(SCHEMA)
    names = sorted(os.listdir(args.docs))
    for i, name in enumerate(names, 1):
        text, _ = read_text(os.path.join(args.docs, name))
        con.execute("insert into docs(rowid, body) values (?, ?)", (i, text))
        con.execute("insert into meta(id, path, year) values (?, ?, 0)", (i, name))
    engine = Fts5(con, 50)
    out = {}
    for q in probe_queries:
        try:
            ids = engine.search(q, count=False)
            out[q] = [names[i - 1] for i in ids]
        except sqlite3.Error as e:
            out[q] = {"error": str(e)}
    print(json.dumps(out, ensure_ascii=False))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--meta", required=True)
    b.add_argument("--db", required=True)
    q = sub.add_parser("query")
    q.add_argument("--db", required=True)
    q.add_argument("--queries", required=True)
    q.add_argument("--repeat", type=int, default=5)
    q.add_argument("--warmup", type=int, default=1)
    q.add_argument("--limit", type=int, default=10)
    q.add_argument("--totals")
    q.add_argument("--top-only", action="store_true", help="also time the top N without the count (one pass)")
    p = sub.add_parser("probe")
    p.add_argument("--docs", required=True)
    p.add_argument("--queries", required=True)
    args = ap.parse_args()
    try:
        sqlite3.connect(":memory:").execute("create virtual table t using fts5(x)")
    except sqlite3.Error as e:
        sys.exit("fts5.py: this Python's sqlite3 has no FTS5 (%s)" % e)
    {"build": build, "query": query, "probe": probe}[args.cmd](args)


if __name__ == "__main__":
    main()
