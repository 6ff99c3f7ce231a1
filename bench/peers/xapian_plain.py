#!/usr/bin/python3
"""Peer for bench/run: Xapian used plainly, through Debian's python3-xapian.

  xapian_plain.py build --meta PARSED.jsonl --db DIR
  xapian_plain.py query --db DIR --queries FILE [--repeat K] [--warmup K] [--limit N] [--totals FILE]
  xapian_plain.py probe --docs DIR --queries FILE.json

Xapian's own TermGenerator with no stemmer and no folding beyond its own
lowercasing: the text, and the metadata under prefixes (issuer + parent +
place as XI, subject + themes + slogans as XT, document type as XK), boolean
terms for the year (Y2026) and each deadline (XD20260503); the text is kept
as the document data, for snippets.  Queries: the words of our inline syntax
go through a default QueryParser (default flags; default operator AND, which
is what our syntax means: every word must be there), the filters become
boolean filters (year and deadline ranges as an OR of their terms).  One
query = the top N with a snippet each (MSet.snippet) and the exact count.

Metadata and text are read as in fts5.py (same record, same files).
Prints one JSON object on stdout.
"""
import argparse
import datetime
import json
import os
import shutil
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fts5  # noqa: E402  (shared: query parsing, corpus reading, timing)

try:
    import xapian
except ImportError:
    sys.exit("xapian_plain.py: no xapian module for %s (Debian: apt-get install python3-xapian, "
             "and run it with /usr/bin/python3)" % sys.executable)


def index_doc(tg, rec, text):
    doc = xapian.Document()
    tg.set_document(doc)
    tg.index_text(text)
    if rec is not None:
        tg.increase_termpos()
        tg.index_text(fts5.issuer_text(rec), 1, "XI")
        tg.increase_termpos()
        tg.index_text(" | ".join(x for x in [rec.get("subject") or "", fts5.themes_text(rec)] if x), 1, "XT")
        tg.increase_termpos()
        tg.index_text(rec.get("doc_type") or "", 1, "XK")
        if rec.get("year"):
            doc.add_boolean_term("Y%d" % rec["year"])
        for d in fts5.deadline_dates(rec):
            doc.add_boolean_term("XD" + d.replace("-", ""))
    doc.set_data(text)
    return doc


def make_termgenerator():
    tg = xapian.TermGenerator()  # no stemmer set: none is applied
    return tg


def build(args):
    shutil.rmtree(args.db, ignore_errors=True)
    t0 = time.perf_counter()
    db = xapian.WritableDatabase(args.db, xapian.DB_CREATE_OR_OVERWRITE)
    tg = make_termgenerator()
    n = raw_bytes = 0
    for rec in fts5.read_records(args.meta):
        text, size = fts5.read_text(rec["path"])
        n += 1
        raw_bytes += size
        doc = index_doc(tg, rec, text)
        idterm = "Q" + rec["path"]
        doc.add_boolean_term(idterm)
        db.replace_document(idterm, doc)
    db.commit()
    db.close()
    seconds = time.perf_counter() - t0
    size = sum(os.path.getsize(os.path.join(args.db, f)) for f in os.listdir(args.db))
    print(json.dumps({"engine": "xapian-plain", "xapian": xapian.version_string(), "docs": n,
                      "raw_bytes": raw_bytes, "build_s": seconds, "docs_per_s": n / seconds,
                      "mb_per_s": raw_bytes / 1e6 / seconds, "index_bytes": size,
                      "peak_rss_mb": fts5.peak_rss_mb()}))


def day_terms(lo, hi):
    lo = max(lo, "1900-01-01")
    hi = min(hi, "2100-12-31")
    a = datetime.date.fromisoformat(lo)
    b = datetime.date.fromisoformat(hi)
    out = []
    while a <= b:
        out.append("XD" + a.strftime("%Y%m%d"))
        a += datetime.timedelta(days=1)
    return out


class Plain:
    def __init__(self, db, limit=10):
        self.db, self.limit = db, limit
        self.qp = xapian.QueryParser()
        self.qp.set_database(db)
        self.qp.set_default_op(xapian.Query.OP_AND)
        self.enquire = xapian.Enquire(db)

    @staticmethod
    def _words(words, negated):
        return " ".join('"%s"' % t.replace('"', " ") if phrase else t
                        for t, phrase, neg in words if neg == negated)

    def build_query(self, text):
        q = fts5.parse_inline(text)
        flags = xapian.QueryParser.FLAG_DEFAULT
        words = self._words(q["words"], False)
        query = self.qp.parse_query(words, flags) if words.strip() else xapian.Query.MatchAll
        if query.empty():
            query = xapian.Query.MatchAll
        # "-word" alone is not a query for the parser without FLAG_PURE_NOT:
        # exclusions are parsed on their own and taken away
        excluded = [self.qp.parse_query(self._words([w], True), flags) for w in q["words"] if w[2]]
        if excluded:
            query = xapian.Query(xapian.Query.OP_AND_NOT, query, xapian.Query(xapian.Query.OP_OR, excluded))
        subs = [query]
        for s in q["issuers"]:
            subs.append(self.qp.parse_query(s, flags, "XI"))
        for s in q["themes"]:
            subs.append(self.qp.parse_query('"%s"' % s, flags, "XT"))
        for s in q["types"]:
            subs.append(self.qp.parse_query('"%s"' % s, flags, "XK"))
        query = subs[0] if len(subs) == 1 else xapian.Query(xapian.Query.OP_AND, subs)
        filters = []
        if q["year"]:
            lo, hi = q["year"]
            filters.append(xapian.Query(xapian.Query.OP_OR, ["Y%d" % y for y in range(lo, min(hi, 2100) + 1)]))
        for lo, hi in q["deadlines"]:
            filters.append(xapian.Query(xapian.Query.OP_OR, day_terms(lo, hi)))
        for f in filters:
            query = xapian.Query(xapian.Query.OP_FILTER, query, f)
        return query

    def search(self, text, count=True):
        query = self.build_query(text)
        self.enquire.set_query(query)
        mset = self.enquire.get_mset(0, self.limit, self.db.get_doccount() if count else 0)
        for m in mset:
            mset.snippet(m.document.get_data().decode("utf-8", "replace"), 200)
        if not count:
            return [m.docid for m in mset]
        return mset.get_matches_estimated()


def query(args):
    queries = fts5.read_queries(args.queries)
    db = xapian.Database(args.db)
    engine = Plain(db, args.limit)
    lat, totals, medians, errors, wall = fts5.run_timed(queries, engine.search, args.repeat, args.warmup)
    out = {"engine": "xapian-plain", "queries": len(queries), "repeat": args.repeat, "limit": args.limit}
    out.update(fts5.percentiles(lat))
    out.update({"errors": errors, "qps_one_thread": len(lat) / wall if wall else 0,
                "zero_hit_queries": sum(1 for t in totals if t == 0), "peak_rss_mb": fts5.peak_rss_mb()})
    fts5.write_totals(args.totals, queries, totals, medians)
    print(json.dumps(out))


def probe(args):
    with open(args.queries, encoding="utf-8") as f:
        probe_queries = json.load(f)
    db = xapian.WritableDatabase("", xapian.DB_BACKEND_INMEMORY)
    tg = make_termgenerator()
    names = sorted(os.listdir(args.docs))
    for name in names:
        text, _ = fts5.read_text(os.path.join(args.docs, name))
        db.add_document(index_doc(tg, None, text))
    engine = Plain(db, 50)
    out = {}
    for q in probe_queries:
        try:
            out[q] = [names[d - 1] for d in engine.search(q, count=False)]
        except xapian.Error as e:
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
    p = sub.add_parser("probe")
    p.add_argument("--docs", required=True)
    p.add_argument("--queries", required=True)
    args = ap.parse_args()
    {"build": build, "query": query, "probe": probe}[args.cmd](args)


if __name__ == "__main__":
    main()
