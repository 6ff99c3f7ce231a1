// The only C++ in the tree: Xapian behind the C interface of xapian_wrap.h.
// Every entry point catches everything; errors become a tc_status_t and a
// message kept on the database handle.

#include "index/xapian_wrap.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

// The values of one slot for every document of a revision, as small
// numbers: counting a facet over every match is then one array read per
// match, where Xapian's ValueCountMatchSpy reads and copies a string and
// updates a map.
struct facet_column {
    Xapian::valueno slot;
    std::vector<uint32_t> ordinal_of; // by docid, 0: no value; emptied once in the cache's rows
    std::vector<std::string> values;  // ordinal - 1 -> value
};

// Reading the columns costs about what counting every document with
// ValueCountMatchSpy once does, so a handle reads them at its second
// search of a revision: a one-off query never pays for them.
struct facet_cache {
    unsigned searches = 0; // at this revision
    bool built = false;
    // false for a writer, whose documents change under it; for several
    // shards, where a match spy is shown each shard's own docids; and for
    // a shard served remotely, which runs only the spies Xapian knows
    bool usable = false;
    std::vector<unsigned> slots;
    int copies_slot = -1;
    std::vector<facet_column> columns;
    // Copies of one dispatch share a value of copies_slot: the values
    // held by two documents or more, numbered; 0 for the others.
    facet_column copies;
    // The columns side by side, the copies' last: per docid a row of
    // `stride` counter numbers, each column's ordinal plus where its
    // counters start (offsets), so that counting a match reads one row.
    std::vector<uint32_t> rows;
    size_t stride = 0;
    std::vector<uint32_t> offsets;
    size_t n_counters = 0;
    std::vector<Xapian::doccount> documents; // by counter number: the documents with each value
};

// A thread of its own with a second handle on the database, which counts
// part of a search's matches while the caller ranks: a Xapian handle is
// never used by two threads at once.
class count_helper {
  public:
    count_helper() : thread_([this] { serve(); }) {}
    ~count_helper()
    {
        {
            std::lock_guard<std::mutex> hold(lock_);
            stopping_ = true;
        }
        changed_.notify_all();
        thread_.join();
    }
    // Runs task on the helper's thread; wait() before the next.
    void start(std::function<void()> task)
    {
        {
            std::lock_guard<std::mutex> hold(lock_);
            task_ = std::move(task);
            failure_ = nullptr;
        }
        changed_.notify_all();
    }
    // Waits for the task started last; rethrows what it threw.
    void wait()
    {
        std::unique_lock<std::mutex> hold(lock_);
        changed_.wait(hold, [this] { return !task_; });
        if (failure_)
            std::rethrow_exception(std::exchange(failure_, nullptr));
    }
    std::unique_ptr<Xapian::Database> db; // touched by the task alone while it runs

  private:
    void serve()
    {
        std::unique_lock<std::mutex> hold(lock_);
        for (;;) {
            changed_.wait(hold, [this] { return stopping_ || task_; });
            if (stopping_)
                return;
            hold.unlock();
            std::exception_ptr failure;
            try {
                task_();
            } catch (...) {
                failure = std::current_exception();
            }
            hold.lock();
            failure_ = failure;
            task_ = nullptr;
            changed_.notify_all();
        }
    }
    std::mutex lock_;
    std::condition_variable changed_;
    std::function<void()> task_; // set while a task is to run or running
    std::exception_ptr failure_;
    bool stopping_ = false;
    std::thread thread_; // last: starts once the rest is ready
};

} // namespace

struct xw_db {
    Xapian::Database *db = nullptr;
    Xapian::WritableDatabase *wdb = nullptr; // same object as db when writable
    std::string path;
    std::string error;
    facet_cache facets; // of the revision db is open at; emptied when it moves
    bool has_remote_shards = false; // learnt when a counting decider is refused
    std::vector<std::unique_ptr<count_helper>> helpers; // started at the first search that splits its count
    unsigned long split_searches = 0; // for the tests: the split did run
};

struct xw_doc {
    Xapian::Document doc;
};

struct xw_query {
    Xapian::Query query;
};

namespace {

tc_status_t status_of(const Xapian::Error &e)
{
    std::string type = e.get_type();
    if (type == "DatabaseLockError")
        return TC_STATUS_INDEX_LOCKED;
    if (type == "DatabaseNotFoundError" || type == "DatabaseOpeningError")
        return TC_STATUS_NO_INDEX;
    return TC_STATUS_XAPIAN;
}

// Runs fn, turning any exception into a status and a message on db.
template <typename Fn> tc_status_t guarded(xw_db_t *db, Fn fn)
{
    try {
        fn();
        if (db)
            db->error.clear();
        return TC_STATUS_SUCCESS;
    } catch (const Xapian::Error &e) {
        if (db)
            db->error = e.get_description();
        return status_of(e);
    } catch (const std::bad_alloc &) {
        if (db)
            db->error = "out of memory";
        return TC_STATUS_OUT_OF_MEMORY;
    } catch (...) {
        if (db)
            db->error = "unexpected error in the index library";
        return TC_STATUS_XAPIAN;
    }
}

// Xapian 1.4 (still so in 1.4.32) answers an unweighted term that every
// document of a database holds from the database's all-documents list:
// LocalSubMatch::open_post_list() opens that list and renames it after the
// term. Once a removal has left a gap in the docids, glass reads that list
// chunk by chunk (GlassAllDocsPostList), and at its second chunk
// GlassPostList::next_chunk() looks for the term's keys instead of the
// list's: "DatabaseCorruptError: Unexpected end of posting list for
// 'ngay'". Our counting pass (BoolWeight) and every filter term are
// unweighted, so common words and one-issuer archives hit it after any
// removal. A database with gaps therefore holds one blank document, which
// has no term but this one: no term of a dispatch is then held by every
// document, and the renaming never happens. It is not a dispatch: counts
// leave it out and match-all excludes it. Without gaps Xapian reads the
// all-documents list without chunks, and a database has no blank, so that
// an index written whole weighs words as it did before.
const char BLANK_DOCUMENT_TERM[] = "XBLANK";

// Adds the blank document to a writable database that has gaps in its
// docids and lacks it; committed with the next commit.
void ensure_blank_document(Xapian::WritableDatabase &database)
{
    if (database.size() != 1 || database.get_lastdocid() == database.get_doccount() ||
        database.get_termfreq(BLANK_DOCUMENT_TERM) > 0)
        return;
    Xapian::Document blank;
    blank.add_boolean_term(BLANK_DOCUMENT_TERM);
    database.add_document(blank);
}

// Databases merged into one may bring a blank document each: one is kept,
// as a database written whole would have (a word nearly every dispatch has
// weighs by how many documents lack it).
void keep_one_blank_document(const char *path)
{
    Xapian::WritableDatabase merged(path, Xapian::DB_OPEN);
    std::vector<Xapian::docid> blanks;
    for (Xapian::PostingIterator it = merged.postlist_begin(BLANK_DOCUMENT_TERM);
         it != merged.postlist_end(BLANK_DOCUMENT_TERM); ++it)
        blanks.push_back(*it);
    for (size_t i = 1; i < blanks.size(); i++)
        merged.delete_document(blanks[i]);
    ensure_blank_document(merged);
    merged.commit();
}

char *copy_string(const std::string &s)
{
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (!out)
        throw std::bad_alloc();
    std::memcpy(out, s.data(), s.size());
    out[s.size()] = '\0';
    return out;
}

// The documents holding term for which keep(value in slot) is 0.
std::vector<Xapian::docid> not_kept(Xapian::Database &db, const char *term, unsigned slot,
                                    int (*keep)(const char *value, void *arg), void *arg)
{
    std::vector<Xapian::docid> doomed;
    for (Xapian::PostingIterator it = db.postlist_begin(term); it != db.postlist_end(term); ++it)
        if (!keep(db.get_document(*it).get_value(slot).c_str(), arg))
            doomed.push_back(*it);
    return doomed;
}

} // namespace

extern "C" {

tc_status_t xw_db_open(xw_db_t **out, const char *path, int writable)
{
    *out = nullptr;
    xw_db_t *db = new (std::nothrow) xw_db;
    if (!db)
        return TC_STATUS_OUT_OF_MEMORY;
    *out = db;
    return guarded(db, [&] {
        db->path = path;
        if (writable) {
            db->wdb = new Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
            db->db = db->wdb;
            ensure_blank_document(*db->wdb);
        } else {
            db->db = new Xapian::Database(path);
        }
    });
}

void xw_db_close(xw_db_t *db)
{
    if (!db)
        return;
    try {
        if (db->db)
            db->db->close(); // commits nothing: uncommitted changes are dropped
    } catch (...) {
    }
    delete db->db;
    delete db;
}

const char *xw_db_error(const xw_db_t *db)
{
    return db ? db->error.c_str() : "";
}

tc_status_t xw_db_reopen(xw_db_t *db, int *changed)
{
    if (!db || !db->db)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] {
        bool moved = db->db->reopen();
        if (moved)
            db->facets = facet_cache();
        if (changed)
            *changed = moved;
    });
}

unsigned long xw_db_split_searches(const xw_db_t *db)
{
    return db ? db->split_searches : 0;
}

tc_status_t xw_db_revision(xw_db_t *db, unsigned long *out)
{
    if (!db || !db->db)
        return TC_STATUS_INVALID_ARGUMENT;
    // Several databases (remote shards) have no one revision: 0 says
    // so; a local layout's shards are summed by the caller (index.c).
    return guarded(db, [&] { *out = db->db->size() > 1 ? 0 : db->db->get_revision(); });
}

tc_status_t xw_db_set_metadata_bytes(xw_db_t *db, const char *key, const char *value, size_t len)
{
    if (!db || !db->wdb)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] { db->wdb->set_metadata(key, std::string(value, len)); });
}

tc_status_t xw_db_get_metadata_bytes(xw_db_t *db, const char *key, char **out, size_t *len)
{
    *out = nullptr;
    *len = 0;
    if (!db || !db->db)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] {
        std::string value = db->db->get_metadata(key);
        *out = copy_string(value);
        *len = value.size();
    });
}

tc_status_t xw_db_set_metadata(xw_db_t *db, const char *key, const char *value)
{
    return xw_db_set_metadata_bytes(db, key, value, value ? strlen(value) : 0);
}

tc_status_t xw_db_get_metadata(xw_db_t *db, const char *key, char **out)
{
    size_t len = 0;
    return xw_db_get_metadata_bytes(db, key, out, &len);
}

tc_status_t xw_db_metadata_scan(xw_db_t *db, const char *prefix, int (*fn)(const char *value, void *arg),
                                void *arg)
{
    if (!db || !db->db)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] {
        for (Xapian::TermIterator key = db->db->metadata_keys_begin(prefix);
             key != db->db->metadata_keys_end(prefix); ++key)
            if (fn(db->db->get_metadata(*key).c_str(), arg))
                break;
    });
}

tc_status_t xw_db_value_by_term(xw_db_t *db, const char *unique_term, unsigned slot, char **out)
{
    *out = nullptr;
    if (!db || !db->db)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] {
        Xapian::PostingIterator it = db->db->postlist_begin(unique_term);
        if (it != db->db->postlist_end(unique_term))
            *out = copy_string(db->db->get_document(*it).get_value(slot));
    });
}

tc_status_t xw_db_count_unless(xw_db_t *db, const char *term, unsigned slot,
                               int (*keep)(const char *value, void *arg), void *arg, size_t *count)
{
    *count = 0;
    if (!db || !db->db)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] { *count = not_kept(*db->db, term, slot, keep, arg).size(); });
}

tc_status_t xw_db_delete_unless(xw_db_t *db, const char *term, unsigned slot,
                                int (*keep)(const char *value, void *arg), void *arg, size_t *removed)
{
    *removed = 0;
    if (!db || !db->wdb)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] {
        std::vector<Xapian::docid> doomed = not_kept(*db->wdb, term, slot, keep, arg);
        for (Xapian::docid id : doomed)
            db->wdb->delete_document(id);
        *removed = doomed.size();
    });
}

tc_status_t xw_db_has_term_prefix(xw_db_t *db, const char *prefix, int *has)
{
    *has = 0;
    if (!db || !db->db)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] { *has = db->db->allterms_begin(prefix) != db->db->allterms_end(prefix); });
}

tc_status_t xw_db_replace(xw_db_t *db, const char *unique_term, const xw_doc_t *doc)
{
    if (!db || !db->wdb)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] { db->wdb->replace_document(unique_term, doc->doc); });
}

tc_status_t xw_db_add(xw_db_t *db, const xw_doc_t *doc)
{
    if (!db || !db->wdb)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] { db->wdb->add_document(doc->doc); });
}

namespace {

// Of one metadata key held by several sources, the last source's value.
class LastMetadataWins : public Xapian::Compactor {
  public:
    std::string resolve_duplicate_metadata(const std::string &, size_t num_tags, const std::string tags[]) override
    {
        return tags[num_tags - 1];
    }
};

} // namespace

tc_status_t xw_compact_many(const char *const *from, size_t n, const char *to, unsigned block_size, char **message)
{
    *message = nullptr;
    xw_db_t scratch; // only to carry the error text
    tc_status_t status = guarded(&scratch, [&] {
        Xapian::Database source;
        for (size_t i = 0; i < n; i++)
            source.add_database(Xapian::Database(from[i]));
        LastMetadataWins compactor;
        // One source keeps its docids; several are renumbered one after another.
        source.compact(to, n == 1 ? Xapian::DBCOMPACT_NO_RENUMBER : 0, static_cast<int>(block_size), compactor);
        if (n > 1)
            keep_one_blank_document(to);
    });
    if (status != TC_STATUS_SUCCESS) {
        try {
            *message = copy_string(scratch.error);
        } catch (...) {
        }
    }
    return status;
}

tc_status_t xw_db_commit(xw_db_t *db)
{
    if (!db || !db->wdb)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] {
        ensure_blank_document(*db->wdb); // a removal since the last commit left a gap
        db->wdb->commit();
    });
}

tc_status_t xw_db_doc_count(xw_db_t *db, size_t *out)
{
    if (!db || !db->db)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] { *out = db->db->get_doccount() - db->db->get_termfreq(BLANK_DOCUMENT_TERM); });
}

tc_status_t xw_db_count(xw_db_t *db, const xw_query_t *query, size_t at_least, size_t *out, int *exact)
{
    if (!db || !db->db || !query)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] {
        Xapian::Enquire enquire(*db->db);
        enquire.set_query(query->query);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        Xapian::doccount all = db->db->get_doccount();
        Xapian::doccount wanted = at_least && at_least < all ? static_cast<Xapian::doccount>(at_least) : all;
        Xapian::MSet counted = enquire.get_mset(0, 0, wanted);
        *out = counted.get_matches_estimated();
        if (exact)
            *exact = counted.get_matches_lower_bound() == counted.get_matches_upper_bound();
    });
}

tc_status_t xw_db_term_count(xw_db_t *db, const char *term, size_t *out)
{
    if (!db || !db->db)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] { *out = db->db->get_termfreq(term); });
}

tc_status_t xw_db_data_by_term(xw_db_t *db, const char *unique_term, char **out, size_t *out_len)
{
    *out = nullptr;
    if (!db || !db->db)
        return TC_STATUS_INVALID_ARGUMENT;
    return guarded(db, [&] {
        Xapian::PostingIterator it = db->db->postlist_begin(unique_term);
        if (it == db->db->postlist_end(unique_term))
            return;
        std::string data = db->db->get_document(*it).get_data();
        *out = copy_string(data);
        if (out_len)
            *out_len = data.size();
    });
}

xw_doc_t *xw_doc_new(void)
{
    return new (std::nothrow) xw_doc;
}

void xw_doc_free(xw_doc_t *doc)
{
    delete doc;
}

int xw_doc_add_posting(xw_doc_t *doc, const char *term, unsigned position)
{
    return guarded(nullptr, [&] { doc->doc.add_posting(term, position); }) ? -1 : 0;
}

int xw_doc_add_term(xw_doc_t *doc, const char *term, unsigned wdf_increment)
{
    return guarded(nullptr, [&] { doc->doc.add_term(term, wdf_increment); }) ? -1 : 0;
}

int xw_doc_add_boolean_term(xw_doc_t *doc, const char *term)
{
    return guarded(nullptr, [&] { doc->doc.add_boolean_term(term); }) ? -1 : 0;
}

int xw_doc_set_value(xw_doc_t *doc, unsigned slot, const char *value)
{
    return guarded(nullptr, [&] { doc->doc.add_value(slot, value); }) ? -1 : 0;
}

int xw_doc_set_data(xw_doc_t *doc, const char *data, size_t len)
{
    return guarded(nullptr, [&] { doc->doc.set_data(std::string(data, len)); }) ? -1 : 0;
}

static xw_query_t *new_query(const Xapian::Query &query)
{
    try {
        return new xw_query{ query };
    } catch (...) {
        return nullptr;
    }
}

xw_query_t *xw_query_term(const char *term, unsigned wqf)
{
    try {
        return new_query(Xapian::Query(term, wqf));
    } catch (...) {
        return nullptr;
    }
}

xw_query_t *xw_query_match_all(void)
{
    try {
        return new_query(Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
                                       Xapian::Query(BLANK_DOCUMENT_TERM)));
    } catch (...) {
        return nullptr;
    }
}

xw_query_t *xw_query_match_nothing(void)
{
    return new_query(Xapian::Query::MatchNothing);
}

xw_query_t *xw_query_value_range(unsigned slot, const char *low, const char *high)
{
    try {
        return new_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, static_cast<Xapian::valueno>(slot), low, high));
    } catch (...) {
        return nullptr;
    }
}

xw_query_t *xw_query_prefix(const char *prefix)
{
    try {
        return new_query(Xapian::Query(Xapian::Query::OP_WILDCARD, prefix));
    } catch (...) {
        return nullptr;
    }
}

xw_query_t *xw_query_fixed_weight(xw_query_t *query, double weight)
{
    if (!query)
        return nullptr;
    try {
        Xapian::Query fixed((new Xapian::FixedWeightPostingSource(weight))->release());
        query->query = Xapian::Query(Xapian::Query::OP_FILTER, fixed, query->query);
        return query;
    } catch (...) {
        delete query;
        return nullptr;
    }
}

xw_query_t *xw_query_combine(xw_op_t op, xw_query_t **subs, size_t n)
{
    bool complete = true;
    for (size_t i = 0; i < n; i++)
        complete = complete && subs[i];
    xw_query_t *result = nullptr;
    if (complete && n > 0) {
        try {
            std::vector<Xapian::Query> parts;
            for (size_t i = 0; i < n; i++)
                parts.push_back(subs[i]->query);
            Xapian::Query combined;
            switch (op) {
            case XW_OP_AND:
                combined = Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
                break;
            case XW_OP_OR:
                combined = Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
                break;
            case XW_OP_PHRASE:
                combined = Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end(),
                                         parts.size());
                break;
            case XW_OP_AND_NOT:
            case XW_OP_AND_MAYBE:
            case XW_OP_FILTER: {
                Xapian::Query::op xop = op == XW_OP_AND_NOT     ? Xapian::Query::OP_AND_NOT
                                        : op == XW_OP_AND_MAYBE ? Xapian::Query::OP_AND_MAYBE
                                                                : Xapian::Query::OP_FILTER;
                if (parts.size() == 1) {
                    combined = parts[0];
                } else {
                    Xapian::Query rest(op == XW_OP_FILTER ? Xapian::Query::OP_AND
                                                          : Xapian::Query::OP_OR,
                                       parts.begin() + 1, parts.end());
                    combined = Xapian::Query(xop, parts[0], rest);
                }
                break;
            }
            }
            result = new xw_query{ combined };
        } catch (...) {
            result = nullptr;
        }
    }
    for (size_t i = 0; i < n; i++)
        delete subs[i];
    return result;
}

xw_query_t *xw_query_scale(xw_query_t *query, double factor)
{
    if (!query)
        return nullptr;
    try {
        query->query = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query->query, factor);
        return query;
    } catch (...) {
        delete query;
        return nullptr;
    }
}

xw_query_t *xw_query_copy(const xw_query_t *query)
{
    return query ? new_query(query->query) : nullptr;
}

char *xw_query_describe(const xw_query_t *query)
{
    try {
        return query ? copy_string(query->query.get_description()) : nullptr;
    } catch (...) {
        return nullptr;
    }
}

void xw_query_free(xw_query_t *query)
{
    delete query;
}

static void xw_mset_clear(xw_mset_t *mset)
{
    for (size_t i = 0; i < mset->n_matches; i++) {
        std::free(mset->matches[i].data);
        std::free(mset->matches[i].collapse_value);
    }
    std::free(mset->matches);
    for (size_t f = 0; f < mset->n_facets; f++) {
        for (size_t i = 0; i < mset->facets[f].n; i++)
            std::free(mset->facets[f].counts[i].value);
        std::free(mset->facets[f].counts);
    }
    std::free(mset->facets);
    std::memset(mset, 0, sizeof *mset);
}

void xw_mset_free(xw_mset_t *mset)
{
    if (!mset)
        return;
    xw_mset_clear(mset);
    std::free(mset);
}

} // extern "C"

namespace {

facet_column read_column(Xapian::Database &database, Xapian::valueno slot, size_t n_docids)
{
    facet_column column;
    column.slot = slot;
    column.ordinal_of.assign(n_docids, 0);
    std::unordered_map<std::string, uint32_t> ordinals;
    for (Xapian::ValueIterator v = database.valuestream_begin(slot); v != database.valuestream_end(slot); ++v) {
        const std::string &value = *v;
        Xapian::docid did = v.get_docid();
        if (value.empty() || did >= n_docids)
            continue;
        auto found = ordinals.emplace(value, static_cast<uint32_t>(column.values.size() + 1));
        if (found.second)
            column.values.push_back(value);
        column.ordinal_of[did] = found.first->second;
    }
    return column;
}

// Like read_column, but numbers only the values two documents or more share.
facet_column read_shared_values(Xapian::Database &database, Xapian::valueno slot, size_t n_docids)
{
    facet_column column;
    column.slot = slot;
    column.ordinal_of.assign(n_docids, 0);
    struct first_seen {
        Xapian::docid did;
        uint32_t ordinal;
    };
    std::unordered_map<std::string, first_seen> seen;
    for (Xapian::ValueIterator v = database.valuestream_begin(slot); v != database.valuestream_end(slot); ++v) {
        Xapian::docid did = v.get_docid();
        if ((*v).empty() || did >= n_docids)
            continue;
        auto found = seen.emplace(*v, first_seen{ did, 0 });
        if (found.second)
            continue;
        first_seen &first = found.first->second;
        if (!first.ordinal) {
            column.values.push_back(*v);
            first.ordinal = static_cast<uint32_t>(column.values.size());
            column.ordinal_of[first.did] = first.ordinal;
        }
        column.ordinal_of[did] = first.ordinal;
    }
    return column;
}

// The columns of slots (and of copies_slot when >= 0) for this search, or
// an unusable cache when Xapian's spies are to count.
const facet_cache &facets_of(xw_db_t *db, const unsigned *slots, size_t n, int copies_slot)
{
    static const facet_cache nothing_to_count{};
    if (n == 0 && copies_slot < 0)
        return nothing_to_count; // a lookup by term: leaves the columns be
    facet_cache &cache = db->facets;
    std::vector<unsigned> wanted(slots, slots + n);
    if (cache.slots != wanted || cache.copies_slot != copies_slot) {
        cache = facet_cache();
        cache.slots = wanted;
        cache.copies_slot = copies_slot;
    }
    if (cache.built || ++cache.searches < 2 || db->wdb || db->has_remote_shards || db->db->size() != 1)
        return cache;
    cache.built = true;
    Xapian::Database &database = *db->db;
    size_t n_docids = static_cast<size_t>(database.get_lastdocid()) + 1;
    try {
        for (size_t f = 0; f < n; f++)
            cache.columns.push_back(read_column(database, static_cast<Xapian::valueno>(slots[f]), n_docids));
        if (copies_slot >= 0)
            cache.copies = read_shared_values(database, static_cast<Xapian::valueno>(copies_slot), n_docids);
        std::vector<facet_column *> side_by_side;
        for (facet_column &column : cache.columns)
            side_by_side.push_back(&column);
        if (copies_slot >= 0)
            side_by_side.push_back(&cache.copies);
        cache.stride = side_by_side.size();
        cache.rows.assign(n_docids * cache.stride, 0);
        for (size_t c = 0; c < cache.stride; c++) {
            facet_column &column = *side_by_side[c];
            uint32_t offset = static_cast<uint32_t>(cache.n_counters);
            cache.offsets.push_back(offset);
            cache.n_counters += column.values.size() + 1;
            for (size_t did = 0; did < n_docids; did++)
                cache.rows[did * cache.stride + c] = offset + column.ordinal_of[did];
            column.ordinal_of = std::vector<uint32_t>(); // the rows hold them now
        }
        cache.documents.assign(cache.n_counters, 0);
        for (size_t did = 1; did < n_docids; did++)
            for (size_t c = 0; c < cache.stride; c++)
                cache.documents[cache.rows[did * cache.stride + c]]++;
        cache.usable = true;
    } catch (const Xapian::UnimplementedError &) {
        cache.columns.clear();
    }
    return cache;
}

// Counts the matches and their facet values, and keeps no match: a
// counting pass that keeps none skips the bookkeeping Xapian does for every
// match it keeps (a third of the cost of a spy pass, measured at 100k).
class match_counter : public Xapian::MatchDecider {
  public:
    virtual Xapian::doccount matches() const = 0;
    // The last docid counted (a pass meets them in ascending order).
    Xapian::docid last_docid() const
    {
        return last_docid_;
    }
    // (count, value) of every value of facet f seen at least once; the
    // values live as long as the counter.
    virtual std::vector<std::pair<Xapian::doccount, const std::string *>> counted(size_t f) const = 0;
    // Matches that are further copies of a dispatch already matched.
    virtual Xapian::doccount extra_copies() const = 0;

  protected:
    // Notes doc as counted; what the decider answers: keep no match.
    bool counted_one(Xapian::docid did) const
    {
        last_docid_ = did;
        return false;
    }

  private:
    mutable Xapian::docid last_docid_ = 0;
};

// From the cached columns: one row read per match.
class column_counter : public match_counter {
  public:
    explicit column_counter(const facet_cache &cache) : cache_(cache), counters_(cache.n_counters, 0) {}
    bool operator()(const Xapian::Document &doc) const override
    {
        matches_++;
        Xapian::docid did = doc.get_docid();
        size_t at = static_cast<size_t>(did) * cache_.stride;
        if (at < cache_.rows.size())
            for (const uint32_t *row = &cache_.rows[at], *end = row + cache_.stride; row < end; row++)
                counters_[*row]++;
        return counted_one(did);
    }
    Xapian::doccount matches() const override
    {
        return matches_;
    }
    std::vector<std::pair<Xapian::doccount, const std::string *>> counted(size_t f) const override
    {
        std::vector<std::pair<Xapian::doccount, const std::string *>> out;
        const std::vector<std::string> &values = cache_.columns[f].values;
        for (size_t o = 1; o <= values.size(); o++)
            if (Xapian::doccount n = counters_[cache_.offsets[f] + o])
                out.emplace_back(n, &values[o - 1]);
        return out;
    }
    Xapian::doccount extra_copies() const override
    {
        Xapian::doccount extra = 0;
        if (cache_.copies_slot >= 0)
            for (size_t o = 1; o <= cache_.copies.values.size(); o++) {
                Xapian::doccount n = counters_[cache_.offsets.back() + o];
                extra += n > 1 ? n - 1 : 0;
            }
        return extra;
    }
    const facet_cache &cache() const
    {
        return cache_;
    }
    // The matches counted by counter number (a column's offset plus a
    // value's ordinal).
    const std::vector<Xapian::doccount> &by_counter() const
    {
        return counters_;
    }
    // Takes in what another counter counted over other documents.
    void add(const column_counter &other)
    {
        matches_ += other.matches_;
        for (size_t i = 0; i < counters_.size(); i++)
            counters_[i] += other.counters_[i];
    }

  private:
    const facet_cache &cache_;
    mutable Xapian::doccount matches_ = 0;
    mutable std::vector<Xapian::doccount> counters_;
};

// Without columns (a handle's first search of a revision, several shards):
// each match's values read from the document, as ValueCountMatchSpy does.
class value_counter : public match_counter {
  public:
    value_counter(const unsigned *slots, size_t n, int copies_slot)
        : slots_(slots, slots + n), counts_(n), copies_slot_(copies_slot)
    {
    }
    bool operator()(const Xapian::Document &doc) const override
    {
        matches_++;
        for (size_t f = 0; f < slots_.size(); f++) {
            std::string value = doc.get_value(slots_[f]);
            if (!value.empty())
                counts_[f][std::move(value)]++;
        }
        if (copies_slot_ >= 0) {
            std::string key = doc.get_value(static_cast<Xapian::valueno>(copies_slot_));
            if (!key.empty())
                copies_[std::move(key)]++;
        }
        return counted_one(doc.get_docid());
    }
    Xapian::doccount matches() const override
    {
        return matches_;
    }
    std::vector<std::pair<Xapian::doccount, const std::string *>> counted(size_t f) const override
    {
        std::vector<std::pair<Xapian::doccount, const std::string *>> out;
        for (const auto &v : counts_[f])
            out.emplace_back(v.second, &v.first);
        return out;
    }
    Xapian::doccount extra_copies() const override
    {
        Xapian::doccount extra = 0;
        for (const auto &c : copies_)
            extra += c.second - 1;
        return extra;
    }

  private:
    std::vector<unsigned> slots_;
    mutable Xapian::doccount matches_ = 0;
    mutable std::vector<std::unordered_map<std::string, Xapian::doccount>> counts_;
    int copies_slot_;
    mutable std::unordered_map<std::string, Xapian::doccount> copies_;
};

struct ranked_match {
    Xapian::MSetIterator at;
    double weight;
};

// Exactly the documents of a sorted list, with no weight: names the window
// to the rescoring query of one local database, where a unique term per
// document costs a lookup each (about 2 ms for 100 at 100k dispatches).
class docid_list_source : public Xapian::PostingSource {
  public:
    explicit docid_list_source(std::vector<Xapian::docid> docids) : docids_(std::move(docids))
    {
    }
    Xapian::doccount get_termfreq_min() const override
    {
        return static_cast<Xapian::doccount>(docids_.size());
    }
    Xapian::doccount get_termfreq_est() const override
    {
        return get_termfreq_min();
    }
    Xapian::doccount get_termfreq_max() const override
    {
        return get_termfreq_min();
    }
    void init(const Xapian::Database &) override
    {
        at_ = 0;
        started_ = false;
    }
    void next(double) override
    {
        at_ += started_;
        started_ = true;
    }
    void skip_to(Xapian::docid did, double) override
    {
        started_ = true;
        at_ = static_cast<size_t>(std::lower_bound(docids_.begin() + static_cast<std::ptrdiff_t>(at_), docids_.end(), did) -
                                  docids_.begin());
    }
    bool at_end() const override
    {
        return at_ >= docids_.size();
    }
    Xapian::docid get_docid() const override
    {
        return docids_[at_];
    }
    Xapian::PostingSource *clone() const override
    {
        return new docid_list_source(docids_);
    }

  private:
    std::vector<Xapian::docid> docids_;
    size_t at_ = 0;
    bool started_ = false;
};

// Every docid from first to last, with no weight: restricts a query to a
// slice of the database (which documents exist, the query says).
class docid_range_source : public Xapian::PostingSource {
  public:
    docid_range_source(Xapian::docid first, Xapian::docid last) : first_(first), last_(last) {}
    Xapian::doccount get_termfreq_min() const override
    {
        return 0; // documents may have been deleted
    }
    Xapian::doccount get_termfreq_est() const override
    {
        return last_ - first_ + 1;
    }
    Xapian::doccount get_termfreq_max() const override
    {
        return last_ - first_ + 1;
    }
    void init(const Xapian::Database &) override
    {
        at_ = first_ - 1;
    }
    void next(double) override
    {
        at_++;
    }
    void skip_to(Xapian::docid did, double) override
    {
        at_ = std::max(at_, std::max(did, first_));
    }
    bool at_end() const override
    {
        return at_ > last_;
    }
    Xapian::docid get_docid() const override
    {
        return at_;
    }
    Xapian::PostingSource *clone() const override
    {
        return new docid_range_source(first_, last_);
    }

  private:
    Xapian::docid first_, last_;
    Xapian::docid at_ = 0;
};

// A sample of the docids after `after` spread evenly to the database's
// last: `share` of every docid_scale of them, as evenly spaced as whole
// docids allow (the k-th is the first docid d with d * share >= k *
// docid_scale).  Documents are numbered in the order their files were
// read, which follows the archive's folders (a province, then a year), so
// the first matches of a query are a few issuers': a sample taken evenly
// from every part of the archive has each issuer in its share.
class docid_sample_source : public Xapian::PostingSource {
  public:
    static constexpr uint64_t docid_scale = 1u << 20;
    docid_sample_source(uint64_t share, Xapian::docid after) : share_(share), after_(after) {}
    // How many docids from 1 to last a sample of share holds.
    static Xapian::doccount held(Xapian::docid last, uint64_t share)
    {
        return static_cast<Xapian::doccount>(last * share / docid_scale);
    }
    Xapian::doccount get_termfreq_min() const override
    {
        return 0; // documents may have been deleted
    }
    Xapian::doccount get_termfreq_est() const override
    {
        return held(last_, share_) - held(std::min(after_, last_), share_);
    }
    Xapian::doccount get_termfreq_max() const override
    {
        return get_termfreq_est();
    }
    void init(const Xapian::Database &db) override
    {
        last_ = db.get_lastdocid();
        at_ = 0;
    }
    void next(double) override
    {
        settle(at_ + 1);
    }
    void skip_to(Xapian::docid did, double) override
    {
        settle(std::max(at_, did));
    }
    bool at_end() const override
    {
        return at_ > last_;
    }
    Xapian::docid get_docid() const override
    {
        return at_;
    }
    Xapian::PostingSource *clone() const override
    {
        return new docid_sample_source(share_, after_);
    }
    // The first docid a sample of share holds at or after did.
    static uint64_t held_from(uint64_t did, uint64_t share)
    {
        uint64_t k = (did - 1) * share / docid_scale + 1; // the first held past did - 1
        return (k * docid_scale + share - 1) / share;
    }

  private:
    void settle(uint64_t did)
    {
        uint64_t next = held_from(std::max<uint64_t>(did, uint64_t(after_) + 1), share_);
        at_ = static_cast<Xapian::docid>(std::min<uint64_t>(next, uint64_t(last_) + 1));
    }
    uint64_t share_;
    Xapian::docid after_;
    Xapian::docid last_ = 0, at_ = 0;
};

// A search's time limit reads the clock once per this many documents the
// fence below is asked about: a read costs about what Xapian spends on a
// candidate of a one-word query, while a candidate of a phrase of common
// words costs several thousand instructions (10k for "tổ chức thực hiện"),
// so 64 of them run past the limit by well under a millisecond.
constexpr unsigned clock_read_every = 64;

// When a search must stop looking at documents (xw_search_t's time
// limit), shared by its passes and the threads counting for it.
struct search_deadline {
    explicit search_deadline(double seconds)
        : at(std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds)))
    {
    }
    // query, restricted to the documents looked at before the deadline.
    Xapian::Query fence(const Xapian::Query &query);
    std::chrono::steady_clock::time_point at;
    std::atomic<bool> reached{ false }; // a pass stopped there
};

// Every document of the database, each in turn, until stop() is called
// (from check(), asked at each document): what both fences below are.
class walk_until_source : public Xapian::PostingSource {
  public:
    Xapian::doccount get_termfreq_min() const override
    {
        return 0; // the walk may stop at any document
    }
    Xapian::doccount get_termfreq_est() const override
    {
        return last_;
    }
    Xapian::doccount get_termfreq_max() const override
    {
        return last_;
    }
    void init(const Xapian::Database &db) override
    {
        last_ = db.get_lastdocid();
        at_ = 0;
        restart();
    }
    void next(double) override
    {
        at_++;
        check();
    }
    void skip_to(Xapian::docid did, double) override
    {
        at_ = std::max(at_, did);
        check();
    }
    bool at_end() const override
    {
        return at_ > last_;
    }
    Xapian::docid get_docid() const override
    {
        return at_;
    }

  protected:
    virtual void restart() {}
    virtual void check() = 0;
    void stop()
    {
        at_ = last_ + 1;
    }

  private:
    Xapian::docid last_ = 0, at_ = 0;
};

// Every document until the deadline, with no weight: ANDed with a pass's
// query it ends the pass there.  Xapian asks it about each document that
// holds all of the query's terms, before checking their positions, so a
// phrase whose words are everywhere and which matches in few places stops
// in time too.  Enquire::set_time_limit cannot do this: it only turns
// check_at_least off once the time is spent, which ends neither a ranked
// pass (check_at_least is 0 already) nor a counting pass whose decider
// keeps no match (measured: it looks at every document all the same).
class deadline_source : public walk_until_source {
  public:
    explicit deadline_source(search_deadline *deadline) : deadline_(deadline) {}
    Xapian::PostingSource *clone() const override
    {
        return new deadline_source(deadline_);
    }

  private:
    void restart() override
    {
        asked_ = 0;
    }
    void check() override
    {
        if (asked_++ % clock_read_every == 0 && std::chrono::steady_clock::now() >= deadline_->at) {
            deadline_->reached = true;
            stop();
        }
    }
    search_deadline *deadline_;
    unsigned asked_ = 0;
};

// Whether matching query checks word positions (a phrase somewhere in it).
bool checks_positions(const Xapian::Query &query)
{
    Xapian::Query::op op = query.get_type();
    if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR)
        return true;
    for (size_t i = 0; i < query.get_num_subqueries(); i++)
        if (checks_positions(query.get_subquery(i)))
            return true;
    return false;
}

Xapian::Query search_deadline::fence(const Xapian::Query &query)
{
    return Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query((new deadline_source(this))->release()));
}

// The passes of a search, kept out of line so that a profile names each
// one (bench/profile): the ranked pass, the unweighted counting pass and
// the rescoring of the best matches.
[[gnu::noinline]] Xapian::MSet rank_pass(const Xapian::Enquire &enquire, Xapian::doccount wanted,
                                         Xapian::doccount check_at_least)
{
    return enquire.get_mset(0, wanted, check_at_least);
}

[[gnu::noinline]] Xapian::MSet count_pass(const Xapian::Enquire &counter, Xapian::doccount check_at_least,
                                          const Xapian::MatchDecider *decider)
{
    return counter.get_mset(0, 0, check_at_least, nullptr, decider);
}

// Every document until a counter has counted `enough` matches: ANDed with
// a counting pass it ends the pass there.  Xapian's check_at_least would
// stop a pass only by the matches it keeps, and keeping one costs Xapian
// more than counting it does (measured at 20k dispatches: a count that
// kept its first 10,000 matches cost twice as much as one keeping none).
class count_fence_source : public walk_until_source {
  public:
    count_fence_source(const match_counter *counter, Xapian::doccount enough) : counter_(counter), enough_(enough) {}
    Xapian::PostingSource *clone() const override
    {
        return new count_fence_source(counter_, enough_);
    }

  private:
    void check() override
    {
        if (counter_->matches() >= enough_)
            stop();
    }
    const match_counter *counter_;
    Xapian::doccount enough_;
};

// query counted into counter until it has counted enough matches, on this
// thread; the counter's matches() then say whether the pass ended first.
void count_until(Xapian::Database &database, const Xapian::Query &query, match_counter &counter,
                 Xapian::doccount enough)
{
    Xapian::Enquire fenced(database);
    fenced.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                                   Xapian::Query((new count_fence_source(&counter, enough))->release())));
    fenced.set_weighting_scheme(Xapian::BoolWeight());
    count_pass(fenced, database.get_doccount(), &counter);
}

// The count pass split into slices of docids, taken in turn by the
// helpers, which start at once, and by the caller once it has ranked.
// Each thread works on its own database handle, its own copy of the query
// (Xapian's reference counts are not atomic) and its own counter.
class split_count {
  public:
    // Null when the count cannot be split: one thread, or the helpers'
    // handles not at the caller's revision.
    // With a deadline (may be null), every slice stops there.
    static std::unique_ptr<split_count> start(xw_db_t *db, const Xapian::Query &query, const facet_cache &cache,
                                              unsigned threads, search_deadline *deadline);
    ~split_count()
    {
        next_slice_ = n_slices_; // the search failed: no more slices
        for (count_helper *helper : busy_)
            try {
                helper->wait();
            } catch (...) {
            }
    }
    // Counts the slices left on the caller's thread into counter, then adds
    // in the helpers' counts.
    void finish(Xapian::Database &database, const Xapian::Query &query, column_counter &counter)
    {
        count_slices(database, query, counter);
        // Every helper is waited for before a failure goes on: their
        // counters and this object die with the search.
        std::exception_ptr failure;
        for (count_helper *helper : busy_)
            try {
                helper->wait();
            } catch (...) {
                if (!failure)
                    failure = std::current_exception();
            }
        busy_.clear();
        if (failure)
            std::rethrow_exception(failure);
        for (const auto &counted : counted_)
            counter.add(*counted);
    }

  private:
    void count_slices(Xapian::Database &database, const Xapian::Query &query, column_counter &counter)
    {
        Xapian::doccount all = database.get_doccount();
        for (size_t s; (s = next_slice_++) < n_slices_;) {
            Xapian::docid first = static_cast<Xapian::docid>(1 + s * last_docid_ / n_slices_);
            Xapian::docid last = static_cast<Xapian::docid>((s + 1) * last_docid_ / n_slices_);
            Xapian::Enquire enquire(database);
            Xapian::Query slice(Xapian::Query::OP_FILTER, query,
                                Xapian::Query((new docid_range_source(first, last))->release()));
            enquire.set_query(deadline_ ? deadline_->fence(slice) : slice);
            enquire.set_weighting_scheme(Xapian::BoolWeight());
            count_pass(enquire, all, &counter);
        }
    }
    std::string serialised_;
    search_deadline *deadline_ = nullptr;
    size_t last_docid_ = 0, n_slices_ = 0;
    std::atomic<size_t> next_slice_{ 0 };
    std::vector<std::unique_ptr<column_counter>> counted_; // one per helper
    std::vector<count_helper *> busy_;
};

// Each helper's handle moved to the caller's revision; false when one
// cannot be (the caller is behind: it is moved on before its next search).
bool helpers_in_step(xw_db_t *db, size_t wanted)
{
    Xapian::Database &database = *db->db;
    std::string uuid = database.get_uuid();
    Xapian::rev revision = database.get_revision();
    while (db->helpers.size() < wanted)
        db->helpers.emplace_back(new count_helper());
    for (size_t h = 0; h < wanted; h++) {
        std::unique_ptr<Xapian::Database> &handle = db->helpers[h]->db;
        // Another database at the path (a rebuild swapped in) has another uuid.
        if (!handle || handle->get_uuid() != uuid)
            handle.reset(new Xapian::Database(db->path));
        if (handle->get_uuid() != uuid)
            return false;
        if (handle->get_revision() != revision)
            handle->reopen();
        if (handle->get_revision() != revision)
            return false;
    }
    return true;
}

std::unique_ptr<split_count> split_count::start(xw_db_t *db, const Xapian::Query &query, const facet_cache &cache,
                                                unsigned threads, search_deadline *deadline)
{
    if (threads < 2 || !helpers_in_step(db, threads - 1))
        return nullptr;
    std::unique_ptr<split_count> split(new split_count());
    try {
        split->serialised_ = query.serialise();
    } catch (const Xapian::UnimplementedError &) {
        return nullptr; // a posting source of ours: counted in one pass
    }
    split->deadline_ = deadline;
    split->last_docid_ = db->db->get_lastdocid();
    // Two slices a thread, so that one finishing early takes more: at 100k,
    // as fast as four for the whole query set, and each slice costs a
    // query's set-up, which four a thread made show on filter queries
    // (p50 1.57 ms on one thread, 1.55 with two slices each, 1.71 with four).
    split->n_slices_ = std::min<size_t>(2 * threads, split->last_docid_);
    if (split->n_slices_ < 2)
        return nullptr;
    for (size_t h = 0; h + 1 < threads; h++) {
        split->counted_.emplace_back(new column_counter(cache));
        count_helper *helper = db->helpers[h].get();
        column_counter *counter = split->counted_.back().get();
        split_count *self = split.get();
        helper->start([self, helper, counter] {
            Xapian::Query own = Xapian::Query::unserialise(self->serialised_);
            self->count_slices(*helper->db, own, *counter);
        });
        split->busy_.push_back(helper);
    }
    return split;
}

// A sample aims at the bound's number of matches, from a guess at the
// rate they come at, and stops at this many times as many: a sample that
// stops early misses the archive's last folders.
constexpr Xapian::doccount sample_cap = 2;
// A count expected to end within this many bounds is finished exactly:
// a sample costs about two bounds' matches (the pass that found the bound
// passed, then the sample, whose matches cost a skip each).  At 20k
// dispatches, where every query ended within two bounds of 10,000,
// sampling them made the counting pass 1.7 times as costly as counting
// every match.
constexpr double finish_within = 3;

// The count of a query matching more documents than a bound: what it
// found and how far it is sure of it.
struct bounded_count {
    bool exact = false;        // the total
    bool facets_exact = false; // the counts of the counter returned
    Xapian::doccount total = 0, lower = 0, upper = 0;
    double scale = 1.0; // what the counter's counts are multiplied by
    // When the sample covers only the docids after a first pass that
    // counted every match before them: that pass, whose counts are added
    // as they are to the sample's scaled ones.
    std::unique_ptr<match_counter> counted_before;
    // The estimated matches of every value by counter number (a column
    // counter's sample), or empty: then the counter's counts times scale.
    std::vector<double> by_counter;
};

// Each value's matches estimated from a sample of the docids after
// `after`, as the share of the value's documents in the sample that match
// times the value's documents there are (both read from the columns), plus
// what a first pass counted before them.  Scaling the sample's count by
// the sample's share of all docids instead also counts the chance of how
// many of a value's documents fell in the sample: at 100k dispatches, with
// most queries past the bound matching most documents, that made the top
// issuers' counts 7% off on average.
std::vector<double> estimate_by_value(const column_counter &sample, const column_counter *before, Xapian::docid after,
                                      Xapian::docid reached, Xapian::docid last, uint64_t share)
{
    const facet_cache &cache = sample.cache();
    size_t n_docids = cache.stride ? cache.rows.size() / cache.stride : 0;
    last = std::min<Xapian::docid>(last, static_cast<Xapian::docid>(n_docids ? n_docids - 1 : 0));
    reached = std::min(reached, last);
    // The documents after `after`: all of them but those up to it, which
    // are few (the first pass stopped at the bound's number of matches).
    std::vector<Xapian::doccount> documents(cache.documents), sampled(cache.n_counters, 0);
    for (size_t did = 1; did <= after; did++)
        for (size_t c = 0; c < cache.stride; c++)
            documents[cache.rows[did * cache.stride + c]]--;
    for (size_t did = size_t(last) + 1; did < n_docids; did++)
        for (size_t c = 0; c < cache.stride; c++)
            documents[cache.rows[did * cache.stride + c]]--;
    for (uint64_t did = docid_sample_source::held_from(uint64_t(after) + 1, share); did <= reached;
         did = docid_sample_source::held_from(did + 1, share))
        for (size_t c = 0; c < cache.stride; c++)
            sampled[cache.rows[did * cache.stride + c]]++;
    const std::vector<Xapian::doccount> &matched = sample.by_counter();
    std::vector<double> estimates(cache.n_counters, 0.0);
    for (size_t c = 0; c < cache.n_counters; c++) {
        if (sampled[c])
            estimates[c] = static_cast<double>(documents[c]) * matched[c] / sampled[c];
        if (before)
            estimates[c] += before->by_counter()[c];
    }
    return estimates;
}

// Counts the matches of counter's query up to bound, on this thread.  At
// most bound: every one, exactly.  Past it the total is estimated from a
// sample of about bound matches taken evenly over the docids the first
// pass did not reach (all of them when Xapian's statistics alone prove the
// bound passed): what the first pass counted is kept exactly, the sample's
// counts are scaled to the rest.  The estimate stays between the bounds
// Xapian proves (it has seen `lower` of them; no more than `upper` hold
// the query's terms; both equal for a single term, whose total is then
// exact).  Copies of a dispatch found are taken off the estimate; the
// others are not known.  `proven` holds Xapian's bounds from the terms'
// statistics alone.  Returns the counter holding the counts: every match,
// or the sample (then out.counted_before may hold the first pass's).
std::unique_ptr<match_counter> count_up_to(Xapian::Database &database, const Xapian::Enquire &counter,
                                           const Xapian::MSet &proven,
                                           const std::function<match_counter *()> &make_counter,
                                           Xapian::doccount bound, bool has_copies, bounded_count &out)
{
    Xapian::doccount enough = bound + 1;
    out = bounded_count();
    out.upper = proven.get_matches_upper_bound();
    // Copies are counted once each, so Xapian's bound on documents is no
    // bound on dispatches when an index holds copies.
    out.lower = has_copies ? 0 : proven.get_matches_lower_bound();
    double expected = proven.get_matches_estimated();
    Xapian::docid last = database.get_lastdocid();
    std::unique_ptr<match_counter> first;
    Xapian::docid first_last = 0;        // the last docid the first pass looked at
    Xapian::doccount first_distinct = 0; // the dispatches it found
    // A single common word is known to be past the bound without counting.
    if (proven.get_matches_lower_bound() <= bound) {
        first.reset(make_counter());
        count_until(database, counter.get_query(), *first, enough);
        first_distinct = first->matches() - first->extra_copies();
        if (first->matches() < enough) {
            out.exact = out.facets_exact = true;
            out.total = out.lower = out.upper = first_distinct;
            return first;
        }
        first_last = first->last_docid();
        out.lower = std::max<Xapian::doccount>(out.lower, first_distinct);
        // The rate at which the first docids matched: a better guess at
        // the sample's size than the terms' statistics, which take words
        // as independent and a phrase as half of them.
        expected = static_cast<double>(first->matches()) * last / std::max<Xapian::docid>(first_last, 1);
        if (expected <= finish_within * bound) {
            // The rest of the docids, every match.
            Xapian::Enquire rest(database);
            rest.set_query(Xapian::Query(Xapian::Query::OP_FILTER, counter.get_query(),
                                         Xapian::Query((new docid_range_source(first_last + 1, last))->release())));
            rest.set_weighting_scheme(Xapian::BoolWeight());
            count_pass(rest, database.get_doccount(), first.get());
            out.exact = out.facets_exact = true;
            out.total = out.lower = out.upper = first->matches() - first->extra_copies();
            return first;
        }
        expected -= first->matches(); // what the rest should hold
    }
    double fraction = std::min(1.0, bound / std::max(expected, 1.0));
    uint64_t share = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(fraction * docid_sample_source::docid_scale)));
    Xapian::Query sampled(Xapian::Query::OP_FILTER, counter.get_query(),
                          Xapian::Query((new docid_sample_source(share, first_last))->release()));
    // The guess at the rate may be low: a sample stops at sample_cap times
    // its aim, and then stands for the docids up to where it stopped.
    std::unique_ptr<match_counter> sample(make_counter());
    count_until(database, sampled, *sample, sample_cap * bound);
    bool whole = sample->matches() < sample_cap * bound;
    Xapian::docid reached = whole ? last : sample->last_docid();
    Xapian::doccount held = docid_sample_source::held(reached, share) - docid_sample_source::held(first_last, share);
    Xapian::doccount distinct = sample->matches() - sample->extra_copies();
    out.lower = std::max(out.lower, first_distinct + distinct);
    out.upper = std::max(out.upper, out.lower);
    double estimate =
        first_distinct + std::round(distinct * static_cast<double>(last - first_last) / std::max<Xapian::doccount>(held, 1));
    out.total = static_cast<Xapian::doccount>(
        std::min<double>(std::max<double>(estimate, out.lower), out.upper));
    out.exact = out.lower == out.upper;
    // The sample's facet counts are scaled to what the rest holds, as the
    // bounds may have moved the total: no count says more than the total.
    out.scale = sample->matches() ? static_cast<double>(out.total - first_distinct) / sample->matches() : 1.0;
    if (const auto *columns = dynamic_cast<const column_counter *>(sample.get()))
        out.by_counter = estimate_by_value(*columns, dynamic_cast<const column_counter *>(first.get()), first_last,
                                           reached, last, share);
    out.counted_before = std::move(first);
    return sample;
}

// count_up_to on a helper's handle, beside the caller's ranking.
class bounded_on_helper {
  public:
    ~bounded_on_helper()
    {
        if (helper_)
            try {
                helper_->wait(); // the search failed: the task uses what it was given
            } catch (...) {
            }
    }
    // Starts the count, if a helper is in step and the query can be
    // handed over (a posting source of ours cannot be serialised).  out
    // is written by the helper until finish().
    void start(xw_db_t *db, const Xapian::Query &query, search_deadline *deadline, const Xapian::MSet &proven,
               const std::function<match_counter *()> &make_counter, Xapian::doccount bound, bool has_copies,
               bounded_count &out)
    {
        if (!helpers_in_step(db, 1))
            return;
        try {
            serialised_ = query.serialise();
        } catch (const Xapian::UnimplementedError &) {
            return;
        }
        count_helper *helper = db->helpers[0].get();
        helper->start([this, helper, deadline, &proven, make_counter, bound, has_copies, &out] {
            Xapian::Database &database = *helper->db;
            Xapian::Query own = Xapian::Query::unserialise(serialised_);
            Xapian::Enquire counter(database);
            counter.set_query(deadline ? deadline->fence(own) : own);
            counter.set_weighting_scheme(Xapian::BoolWeight());
            counted_ = count_up_to(database, counter, proven, make_counter, bound, has_copies, out);
        });
        helper_ = helper;
    }
    bool started() const
    {
        return helper_ != nullptr;
    }
    // Waits for the count; its counter (rethrows what the helper threw).
    std::unique_ptr<match_counter> finish()
    {
        count_helper *helper = std::exchange(helper_, nullptr);
        helper->wait();
        return std::move(counted_);
    }

  private:
    count_helper *helper_ = nullptr;
    std::string serialised_;
    std::unique_ptr<match_counter> counted_;
};

// Adds the weight rescore_query gives each of the first window matches,
// trying it on those documents alone, and orders them again.
[[gnu::noinline]] void rescore(std::vector<ranked_match> &ranked, xw_db_t *db, const xw_search_t *how)
{
    Xapian::Database &database = *db->db;
    size_t window = std::min(ranked.size(), how->rescore_window);
    if (window == 0)
        return;
    std::unordered_map<Xapian::docid, size_t> position_of;
    for (size_t i = 0; i < window; i++)
        position_of.emplace(*ranked[i].at, i);
    // The window's documents, named by docid on one local database; a
    // posting source of ours is refused by remote shards and sees each
    // shard's own docids, so the others name them by unique term.
    Xapian::Query these;
    if (database.size() == 1 && !db->has_remote_shards) {
        std::vector<Xapian::docid> docids;
        for (size_t i = 0; i < window; i++)
            docids.push_back(*ranked[i].at);
        std::sort(docids.begin(), docids.end());
        these = Xapian::Query((new docid_list_source(std::move(docids)))->release());
    } else {
        std::vector<std::string> unique_terms;
        for (size_t i = 0; i < window; i++)
            unique_terms.push_back(how->unique_prefix + ranked[i].at.get_document().get_value(how->unique_slot));
        these = Xapian::Query(Xapian::Query::OP_OR, unique_terms.begin(), unique_terms.end());
    }
    Xapian::Enquire enquire(database);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, how->rescore_query->query, these));
    Xapian::MSet boosted = enquire.get_mset(0, static_cast<Xapian::doccount>(window));
    for (Xapian::MSetIterator it = boosted.begin(); it != boosted.end(); ++it) {
        auto found = position_of.find(*it);
        if (found != position_of.end())
            ranked[found->second].weight += it.get_weight();
    }
    // Stable: equal weights keep Xapian's order.  The window's weights
    // only grew, so every one still ranks above the matches after it.
    std::stable_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(window),
                     [](const ranked_match &a, const ranked_match &b) { return a.weight > b.weight; });
}

void search_into(xw_mset_t *mset, xw_db_t *db, const Xapian::Query &query, const xw_search_t *how)
{
    Xapian::Database &database = *db->db;
    // The time limit fences the ranked and counting passes of a query that
    // checks word positions, whose cost per candidate has no bound, for 1%
    // more instructions.  Other queries cost a posting per match, and the
    // fence asked about each would add 17% to theirs (30 of the
    // benchmark's queries at 100k dispatches); remote shards refuse
    // posting sources of ours.
    search_deadline deadline(how->time_limit);
    bool fenced = how->time_limit > 0 && !db->has_remote_shards && checks_positions(query);
    Xapian::Enquire enquire(database);
    enquire.set_query(fenced ? deadline.fence(query) : query);
    // Ascending, a document without the value (its empty string sorts
    // first) is given one past every value, so that it comes last, as
    // it does descending.  Remote shards take no key maker: there it
    // comes first (the id, which the archive's order sorts by, every
    // document has).
    Xapian::MultiValueKeyMaker ascending_keys;
    if (how->sort_slot >= 0 && how->sort_ascending && !db->has_remote_shards) {
        ascending_keys.add_value(static_cast<Xapian::valueno>(how->sort_slot), false, std::string(1, '\xff'));
        enquire.set_sort_by_key_then_relevance(&ascending_keys, false);
    } else if (how->sort_slot >= 0 && how->sort_ascending) {
        enquire.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(how->sort_slot), false);
    } else if (how->sort_slot >= 0) {
        enquire.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(how->sort_slot), true);
    }
    if (how->collapse_slot >= 0)
        enquire.set_collapse_key(static_cast<Xapian::valueno>(how->collapse_slot));
    const unsigned *facet_slots = how->facet_slots;
    size_t n_facets = how->n_facets;
    // Looking at every document makes the total and the facet counts
    // exact. With a count query that is a second, unweighted pass, and
    // the ranked pass may stop as soon as its page is certain.
    Xapian::doccount all = database.get_doccount();
    Xapian::Enquire counter(database);
    Xapian::Enquire *counting = &enquire;
    if (how->count_query) {
        counter.set_query(fenced ? deadline.fence(how->count_query->query) : how->count_query->query);
        counter.set_weighting_scheme(Xapian::BoolWeight());
        counting = &counter;
    }
    // Collapsed counts are exact only when every match is kept, so the
    // counting pass does not collapse: it counts the copies per key and
    // takes the extra ones off.
    int copies_slot = how->count_query && how->collapse_slot >= 0 ? how->collapse_slot : -1;
    const facet_cache &cache = facets_of(db, facet_slots, n_facets, copies_slot);
    // Remote shards run only the spies Xapian knows; everything else
    // counts with a decider that keeps no match.
    std::unique_ptr<match_counter> columns;
    column_counter *by_columns = nullptr; // columns, when counting from the cache
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    std::unique_ptr<Xapian::ValueCountMatchSpy> copies;
    if (how->count_query && cache.usable) {
        columns.reset(by_columns = new column_counter(cache));
    } else if (how->count_query && !db->has_remote_shards) {
        columns.reset(new value_counter(facet_slots, n_facets, copies_slot));
    } else {
        for (size_t f = 0; f < n_facets; f++) {
            spies.emplace_back(new Xapian::ValueCountMatchSpy(facet_slots[f]));
            counting->add_matchspy(spies.back().get());
        }
        if (copies_slot >= 0) {
            copies.reset(new Xapian::ValueCountMatchSpy(static_cast<Xapian::valueno>(copies_slot)));
            counter.add_matchspy(copies.get());
        }
    }
    bool rescoring = how->rescore_query && how->sort_slot < 0 && how->rescore_window > 0;
    size_t wanted = how->offset + how->limit;
    if (rescoring)
        wanted = std::max(wanted, how->rescore_window);
    // With helpers, the count starts before the ranking and ends after it.
    // A bounded count looks at about as many matches as its bound: on the
    // caller's thread, after the ranking.  A query whose terms Xapian knows
    // to be in no more documents than the bound (no document read) is
    // counted as any other.  So are several shards: Xapian stops a pass at
    // check_at_least in a single database only, and meets their docids
    // shard after shard, not in order.
    Xapian::MSet proven;
    bool bounded = columns && how->count_bound > 0 && all > how->count_bound && database.size() == 1;
    if (bounded) {
        proven = counter.get_mset(0, 0, static_cast<Xapian::doccount>(0));
        Xapian::doccount upper = proven.get_matches_upper_bound();
        // A count known to end within finish_within bounds (a single word
        // of an index without copies) is finished exactly, on every core.
        bool known = proven.get_matches_lower_bound() == upper && copies_slot < 0;
        bounded = upper > how->count_bound && !(known && upper <= finish_within * how->count_bound);
    }
    std::unique_ptr<split_count> split;
    if (by_columns && !bounded)
        split = split_count::start(db, how->count_query->query, cache, how->count_threads,
                                   fenced ? &deadline : nullptr);
    bounded_count count;
    count.exact = count.facets_exact = true;
    auto make_counter = [&]() -> match_counter * {
        if (cache.usable)
            return new column_counter(cache);
        return new value_counter(facet_slots, n_facets, copies_slot);
    };
    // A bounded count runs on a helper while this thread ranks, when a
    // core is free: at 100k dispatches, counted after the ranking on one
    // thread, it made bounded searches slower than exact ones split over
    // both cores (p50 5.8 ms against 4.9).
    bounded_on_helper beside;
    if (bounded && how->count_threads >= 2)
        beside.start(db, how->count_query->query, fenced ? &deadline : nullptr, proven, make_counter,
                     static_cast<Xapian::doccount>(how->count_bound), copies_slot >= 0, count);
    Xapian::MSet matches = rank_pass(enquire, static_cast<Xapian::doccount>(wanted), how->count_query ? 0 : all);
    if (bounded) {
        if (beside.started())
            columns = beside.finish();
        else
            columns = count_up_to(database, counter, proven, make_counter,
                                  static_cast<Xapian::doccount>(how->count_bound), copies_slot >= 0, count);
        mset->total = count.total;
    } else if (split) {
        split->finish(database, how->count_query->query, *by_columns);
        db->split_searches++;
        mset->total = columns->matches() - columns->extra_copies();
    } else if (columns) {
        count_pass(counter, all, columns.get());
        mset->total = columns->matches() - columns->extra_copies();
    } else if (how->count_query) {
        Xapian::MSet counted = count_pass(counter, all, nullptr);
        Xapian::doccount total = counted.get_matches_estimated();
        if (copies)
            for (Xapian::TermIterator v = copies->values_begin(); v != copies->values_end(); ++v)
                if (!(*v).empty() && v.get_termfreq() > 1)
                    total -= v.get_termfreq() - 1;
        mset->total = total;
    } else {
        mset->total = matches.get_matches_estimated();
    }
    mset->partial = deadline.reached;
    // Stopped at the deadline, the passes may have looked at different
    // documents: every match ranked is counted, at least.
    if (mset->partial)
        mset->total = std::max<size_t>(mset->total, matches.size());
    mset->total_exact = count.exact && !mset->partial;
    mset->facets_exact = count.facets_exact && !mset->partial;
    mset->total_lower = count.exact ? mset->total : std::min<size_t>(count.lower, mset->total);
    mset->total_upper = count.exact ? mset->total : std::max<size_t>(count.upper, mset->total);
    std::vector<ranked_match> ranked;
    for (Xapian::MSetIterator it = matches.begin(); it != matches.end(); ++it)
        ranked.push_back({ it, it.get_weight() });
    if (rescoring)
        rescore(ranked, db, how);

    size_t first = std::min(how->offset, ranked.size());
    size_t last = std::min(how->offset + how->limit, ranked.size());
    mset->matches = static_cast<xw_match_t *>(std::calloc(last - first + 1, sizeof(xw_match_t)));
    if (!mset->matches)
        throw std::bad_alloc();
    for (size_t i = first; i < last; i++) {
        const Xapian::MSetIterator &it = ranked[i].at;
        xw_match_t *m = &mset->matches[mset->n_matches];
        std::string data = it.get_document().get_data();
        m->data = copy_string(data);
        m->data_len = data.size();
        m->score = ranked[i].weight;
        mset->n_matches++;
        if (how->collapse_slot >= 0)
            m->collapse_value = copy_string(it.get_collapse_key());
    }
    mset->facets = static_cast<xw_counts_t *>(std::calloc(n_facets + 1, sizeof(xw_counts_t)));
    if (!mset->facets)
        throw std::bad_alloc();
    for (size_t f = 0; f < n_facets; f++) {
        std::vector<std::string> spied; // the values a spy saw, kept alive for the pointers
        std::vector<std::pair<Xapian::doccount, const std::string *>> values;
        std::unordered_map<std::string, double> merged; // the two passes' counts of a bounded count
        if (columns && !count.facets_exact && !count.by_counter.empty()) {
            const std::vector<std::string> &names = cache.columns[f].values;
            // No count says more than the total, nor the values of a
            // facet that parts the matches (years) more together.
            double sum = 0;
            for (size_t o = 1; o <= names.size(); o++)
                sum += count.by_counter[cache.offsets[f] + o];
            double shrink = sum > mset->total ? mset->total / sum : 1.0;
            for (size_t o = 1; o <= names.size(); o++)
                if (auto n = static_cast<Xapian::doccount>(std::floor(count.by_counter[cache.offsets[f] + o] * shrink)))
                    values.emplace_back(n, &names[o - 1]);
        } else if (columns && !count.facets_exact && count.counted_before) {
            for (const auto &value : count.counted_before->counted(f))
                merged[*value.second] += value.first;
            for (const auto &value : columns->counted(f))
                merged[*value.second] += value.first * count.scale;
            // Rounded down: the values of a facet that parts the matches
            // (years) add up to no more than the total.
            for (const auto &value : merged)
                values.emplace_back(static_cast<Xapian::doccount>(std::floor(value.second)), &value.first);
        } else if (columns) {
            values = columns->counted(f);
            if (!count.facets_exact)
                for (auto &value : values)
                    value.first = static_cast<Xapian::doccount>(std::lround(value.first * count.scale));
        } else {
            for (Xapian::TermIterator v = spies[f]->values_begin(); v != spies[f]->values_end(); ++v)
                if (!(*v).empty()) {
                    spied.push_back(*v);
                    values.emplace_back(v.get_termfreq(), nullptr);
                }
            for (size_t i = 0; i < values.size(); i++)
                values[i].second = &spied[i];
        }
        // Only the most frequent are kept: sorting the rest would be
        // thousands of string comparisons for a common word's issuers.
        size_t keep = std::min(values.size(), how->facet_values);
        std::partial_sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(keep), values.end(),
                          [](const auto &a, const auto &b) {
                              return a.first != b.first ? a.first > b.first : *a.second < *b.second;
                          });
        xw_counts_t *counts = &mset->facets[f];
        mset->n_facets = f + 1;
        counts->distinct = values.size();
        counts->counts = static_cast<xw_count_t *>(std::calloc(keep + 1, sizeof(xw_count_t)));
        if (!counts->counts)
            throw std::bad_alloc();
        for (size_t i = 0; i < keep; i++) {
            counts->counts[counts->n].value = copy_string(*values[i].second);
            counts->counts[counts->n].count = values[i].first;
            counts->n++;
        }
    }
}

} // namespace

extern "C" {

tc_status_t xw_db_search(xw_mset_t **out, xw_db_t *db, const xw_query_t *query, const xw_search_t *how)
{
    *out = nullptr;
    if (!db || !db->db || !query)
        return TC_STATUS_INVALID_ARGUMENT;
    xw_mset_t *mset = static_cast<xw_mset_t *>(std::calloc(1, sizeof *mset));
    if (!mset)
        return TC_STATUS_OUT_OF_MEMORY;
    tc_status_t status = guarded(db, [&] {
        // A writer may commit twice while we read; then the revision we
        // hold is gone and we move to the newest one and try again.
        for (int attempt = 0;; attempt++) {
            try {
                search_into(mset, db, query->query, how);
                return;
            } catch (const Xapian::UnimplementedError &) {
                // Remote shards refuse our counters: count with Xapian's
                // own spies from now on.
                if (db->has_remote_shards)
                    throw;
                db->has_remote_shards = true;
                db->facets.built = false;
                db->facets.usable = false;
                db->facets.columns.clear();
                xw_mset_clear(mset);
            } catch (const Xapian::DatabaseModifiedError &) {
                if (attempt == 2)
                    throw;
                xw_mset_clear(mset);
                db->db->reopen();
                db->facets = facet_cache();
            }
        }
    });
    if (status != TC_STATUS_SUCCESS) {
        xw_mset_free(mset);
        return status;
    }
    *out = mset;
    return status;
}

} // extern "C"
