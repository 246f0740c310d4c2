/*
 * kgstore's C API: an embedded RDF quad store with a SPARQL 1.1 engine.
 *
 *   kg_db *db;
 *   if (kg_open("/data/kg", NULL, &db) != KG_OK) {
 *     fprintf(stderr, "%s\n", kg_errmsg(db));
 *     kg_close(db);
 *     return 1;
 *   }
 *   kg_load_file(db, "facts.trig", NULL, NULL, NULL);
 *   kg_result *r;
 *   if (kg_query(db, "SELECT ?who { ?who ?p ?o } LIMIT 3", &r) == KG_OK) {
 *     int rc;
 *     while ((rc = kg_result_step(r)) == KG_ROW)
 *       printf("%s\n", kg_result_lexical(r, 0));
 *     if (rc != KG_DONE) fprintf(stderr, "%s\n", kg_errmsg(db));
 *     kg_result_free(r);
 *   }
 *   kg_close(db);
 *
 * Conventions, for every function below:
 * - Return codes. Functions that can fail return an int: KG_OK (0) or one
 *   of the error codes below (kg_result_step also KG_ROW and KG_DONE).
 * - Messages. A failed call leaves a message, in English and UTF-8, that
 *   kg_errmsg(db) returns: the message of the last failed call made *by the
 *   calling thread* on `db` or on a handle (result, transaction) made from
 *   it. Successful calls leave it alone. Syntax errors start with
 *   "line L, column C:" (queries; a caret line follows) or
 *   "source:line:column:" (RDF input).
 * - Strings are UTF-8 and NUL-terminated. A string this API returns is
 *   owned by the handle it came from and valid until the call the function
 *   names; strings returned through a `char **` argument are the caller's,
 *   to release with kg_free().
 * - Terms are given either in N-Triples syntax ("<http://ex/a>", "_:b1",
 *   "\"text\"@en", "\"42\"^^<http://www.w3.org/2001/XMLSchema#integer>";
 *   escapes as in N-Triples, so "\u0000" gives a NUL character) or as a
 *   kg_term structure. Graph arguments: NULL means the default graph when
 *   writing; when matching, NULL means any graph and KG_DEFAULT_GRAPH ("")
 *   only the default graph.
 * - Threads. A kg_db may be used by any number of threads at once, except
 *   kg_close. A kg_result or kg_txn is used by one thread at a time (any
 *   thread), and must be freed before its kg_db is closed. Readers never
 *   block writers and see a consistent snapshot; writers (transactions,
 *   loads, updates) are serialised: one waits while another is active.
 * - No C++ exception crosses this API; an unexpected internal failure is
 *   returned as KG_INTERNAL with a message.
 *
 * This header includes only standard C headers.
 */
#ifndef KGSTORE_KG_H_
#define KGSTORE_KG_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ------------------------------------------------------------
 * The library's version; the only place it is written (the build reads it
 * from here). KG_VERSION_NUMBER is major * 1000000 + minor * 1000 + patch.
 * The library's soname carries "major.minor" while the major is 0: within
 * 0.x, a new minor version may change the ABI. */
#define KG_VERSION_MAJOR 0
#define KG_VERSION_MINOR 2
#define KG_VERSION_PATCH 0
#define KG_VERSION "0.2.0"
#define KG_VERSION_NUMBER 2000

/* The version of the library linked at run time (may differ from the
 * header's KG_VERSION): a static string. Thread-safe. */
const char *kg_version(void);
/* The same as a number (KG_VERSION_NUMBER's form). Thread-safe. */
int kg_version_number(void);

/* ---- Return codes ------------------------------------------------------- */
#define KG_OK 0
#define KG_INTERNAL 1   /* unexpected failure inside kgstore (a bug) */
#define KG_INVALID 2    /* bad input: syntax error, bad term, unknown format,
                           unsupported construct, bad argument value */
#define KG_NOTFOUND 3   /* no store at the path (and not created), no such
                           file, no such graph */
#define KG_LOCKED 4     /* the store is in use by another process, or opened
                           read-only, or not a kgstore store, or the
                           transaction is finished */
#define KG_CORRUPT 5    /* the store is damaged (see kg_check) */
#define KG_IOERR 6      /* an I/O error */
#define KG_FULL 7       /* disk full, or a limit reached (memory cap) */
#define KG_TIMEOUT 8    /* the query timeout passed */
#define KG_CANCELLED 9  /* the call was cancelled */
#define KG_MISUSE 10    /* the API was used wrongly: a NULL handle where one
                           is required, a column out of range, a cell read
                           before kg_result_step returned KG_ROW */
#define KG_ROW 100      /* kg_result_step: a row is ready */
#define KG_DONE 101     /* kg_result_step: no more rows */

/* A static English name for a return code ("KG_OK", "KG_INVALID", ...);
 * "KG_UNKNOWN" for other values. Thread-safe. */
const char *kg_errstr(int code);

/* ---- Handles ------------------------------------------------------------ */
typedef struct kg_db kg_db;           /* an open store */
typedef struct kg_options kg_options; /* options for kg_open */
typedef struct kg_txn kg_txn;         /* a write transaction */
typedef struct kg_result kg_result;   /* rows of a query or a match */

/* Releases a string this API returned through a `char **` argument. NULL
 * is allowed. Thread-safe. */
void kg_free(void *p);

/* ---- Options ------------------------------------------------------------
 * An options object holds every kg_open setting at its default; setters
 * change one. It is the caller's: free it with kg_options_free (kg_open
 * copies what it needs, so it may be freed right after). Not thread-safe
 * (one thread at a time per object). Returns NULL only when out of memory. */
kg_options *kg_options_new(void);
void kg_options_free(kg_options *options);
/* Create an empty store when the directory holds none. Default 1. */
void kg_options_set_create_if_missing(kg_options *options, int on);
/* Open for reading only: no lock, other processes may read and one may
 * write at the same time; every write fails with KG_LOCKED. Default 0. */
void kg_options_set_read_only(kg_options *options, int on);
/* Commits and loads are on disk (fsync) before they return. With 0, a power
 * failure may lose the last commits (a process crash loses nothing).
 * Default 1. */
void kg_options_set_durable_commits(kg_options *options, int on);
/* RocksDB block cache, in bytes. Default 256 MiB. */
void kg_options_set_block_cache_bytes(kg_options *options, uint64_t bytes);
/* Decoded terms kept across queries, in bytes; 0 disables. Default 64 MiB. */
void kg_options_set_term_cache_bytes(kg_options *options, uint64_t bytes);
/* In-memory adjacency copies of the most probed predicates, in bytes; 0
 * disables. Default: a quarter of usable memory, at least 256 MiB. */
void kg_options_set_adjacency_cache_bytes(kg_options *options, uint64_t bytes);
/* Build those copies on a background thread right after open. Default 1. */
void kg_options_set_warm_in_background(kg_options *options, int on);
/* Wall-clock limit of each query and update, in milliseconds; 0: none.
 * A query past it fails with KG_TIMEOUT. Default 0. */
void kg_options_set_query_timeout_ms(kg_options *options, int64_t ms);
/* Cap on memory held by one query's intermediate results (hash tables,
 * sorts, visited sets), in bytes; 0: none. Past it: KG_FULL. Default 0. */
void kg_options_set_memory_limit_bytes(kg_options *options, uint64_t bytes);
/* Strict SPARQL datasets: a query's default graph is only the store's
 * default graph (not the union of all graphs). Default 0. */
void kg_options_set_strict_dataset(kg_options *options, int on);
/* Let update requests read local files (LOAD <file:...>). Default 0. */
void kg_options_set_allow_file_access(kg_options *options, int on);

/* ---- Open and close ------------------------------------------------------
 * Opens the store in directory `path` with `options` (NULL: defaults).
 * *db is set whenever memory allows, even when the open fails: then it is a
 * handle whose only uses are kg_errmsg and kg_close (as with SQLite's
 * sqlite3_open). Errors: KG_NOTFOUND (no store and create_if_missing off),
 * KG_LOCKED (another process has it open for writing; never waits),
 * KG_CORRUPT, KG_IOERR, KG_INVALID (a NULL path). Thread-safe. */
int kg_open(const char *path, const kg_options *options, kg_db **db);
/* Closes the store and frees `db` (NULL allowed). Every result and
 * transaction made from it must have been freed; a transaction still open
 * is rolled back. Not thread-safe: no other call on `db` may be running. */
void kg_close(kg_db *db);
/* Cancels every query and update running on `db` now, from any thread:
 * each fails with KG_CANCELLED at its next check (within milliseconds).
 * A result whose query was cancelled fails its next step. Calls started
 * afterwards are not affected. Thread-safe. */
void kg_interrupt(kg_db *db);
/* The message of the last failed call this thread made on `db` or on a
 * handle made from it; "" when there was none; "out of memory" for a NULL
 * `db`. Owned by `db`, valid until this thread's next call on it. */
const char *kg_errmsg(kg_db *db);
/* The return code of that same last failed call (KG_OK when none). */
int kg_errcode(kg_db *db);

/* ---- Terms ----------------------------------------------------------- */
#define KG_TERM_UNBOUND 0 /* no value (an unbound variable) */
#define KG_TERM_IRI 1
#define KG_TERM_BLANK 2
#define KG_TERM_LITERAL 3

/* The empty string: as a graph argument of a match, "the default graph". */
#define KG_DEFAULT_GRAPH ""

/* A term in structured form. `value` is the IRI (absolute, no angle
 * brackets), the blank node label (no "_:") or the literal's lexical form.
 * For a literal, `datatype` is its datatype IRI (NULL or "" for a simple
 * string, ignored when `language` is set) and `language` its language tag
 * (NULL or "" for none). The strings are the caller's; kgstore copies them. */
typedef struct kg_term {
  int kind; /* KG_TERM_IRI, KG_TERM_BLANK or KG_TERM_LITERAL */
  const char *value;
  const char *datatype;
  const char *language;
} kg_term;

/* ---- Transactions --------------------------------------------------------
 * A transaction's inserts and removals become visible together at commit,
 * atomically and (with durable commits) durably. Blank nodes: a label the
 * store handed out (read from a result) names that node; any other label
 * names a new node, the same one for the same label within a transaction.
 *
 * kg_begin starts one, waiting while another writer is active; *txn is the
 * caller's until kg_commit or kg_rollback, which both free it. Errors:
 * KG_LOCKED (read-only store). Thread-safe. */
int kg_begin(kg_db *db, kg_txn **txn);
/* Adds the quad (s, p, o) to graph g (NULL: the default graph), each term
 * in N-Triples syntax; KG_OK also when it was present. KG_INVALID names the
 * bad argument and column. */
int kg_insert(kg_txn *txn, const char *s, const char *p, const char *o,
              const char *g);
/* Removes the quad everywhere; KG_OK also when it was absent. */
int kg_remove(kg_txn *txn, const char *s, const char *p, const char *o,
              const char *g);
/* The same with structured terms; g NULL: the default graph. */
int kg_insert_terms(kg_txn *txn, const kg_term *s, const kg_term *p,
                    const kg_term *o, const kg_term *g);
int kg_remove_terms(kg_txn *txn, const kg_term *s, const kg_term *p,
                    const kg_term *o, const kg_term *g);
/* Quads matching a pattern, seeing this transaction's own changes; like
 * kg_match. The result must be freed before the transaction ends. */
int kg_txn_match(kg_txn *txn, const char *s, const char *p, const char *o,
                 const char *g, kg_result **result);
/* Commits and frees `txn`. On failure nothing of the transaction is
 * stored (it is rolled back) and `txn` is freed all the same. */
int kg_commit(kg_txn *txn);
/* Discards the changes and frees `txn` (NULL allowed). */
void kg_rollback(kg_txn *txn);

/* ---- Loading -------------------------------------------------------------
 * Formats by name: "ntriples"/"nt", "nquads"/"nq", "turtle"/"ttl",
 * "trig". A load is one all-or-nothing write: the first syntax error fails
 * it and stores nothing (unless KG_LOAD_SKIP_BAD). */
typedef struct kg_load_stats {
  uint64_t statements;     /* statements read */
  uint64_t quads_added;    /* new quads in the store */
  uint64_t duplicates;     /* repeated in the input or already stored */
  uint64_t bad_statements; /* skipped (KG_LOAD_SKIP_BAD only) */
  uint64_t bytes_read;
  double seconds;
} kg_load_stats;

#define KG_LOAD_SKIP_BAD 1u          /* skip bad statements, load the rest */
#define KG_LOAD_COMPRESS_FOR_SIZE 2u /* ZSTD instead of LZ4 */

typedef struct kg_load_options {
  const char *format;   /* NULL: from the file's extension (files only) */
  const char *graph;    /* N-Triples IRI; triples (and the default graph of
                           quad formats) go there. NULL: as written */
  const char *base_iri; /* NULL: the file's file:// IRI; none for buffers */
  unsigned flags;       /* KG_LOAD_* bits */
} kg_load_options;

/* Loads a file ("-" reads standard input, then a format is required).
 * `options` and `stats` may be NULL. Errors: KG_INVALID (syntax error, as
 * "file:line:column: expected ..."; unknown format), KG_NOTFOUND (no such
 * file), KG_LOCKED (read-only), KG_IOERR, KG_FULL. Thread-safe (waits for
 * the current writer). */
int kg_load_file(kg_db *db, const char *path, const kg_load_options *options,
                 kg_load_stats *stats);
/* Loads `size` bytes at `data` (a format is required). As kg_load_file. */
int kg_load_buffer(kg_db *db, const char *data, size_t size,
                   const kg_load_options *options, kg_load_stats *stats);

/* ---- Queries -------------------------------------------------------------
 * Runs a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) on a snapshot
 * taken now, with the timeout and memory cap of the open options. *result
 * is the caller's, to free with kg_result_free. Rows stream: most are
 * computed as they are stepped through, but blocking work (a sort, an
 * aggregate, a hash table) may run inside kg_query. Errors here: KG_INVALID (syntax, with line, column
 * and caret; unsupported construct); while stepping: KG_TIMEOUT, KG_FULL,
 * KG_CANCELLED, KG_CORRUPT. Thread-safe. */
int kg_query(kg_db *db, const char *text, kg_result **result);
/* Runs an ASK query (or any query: true when it has a solution) and sets
 * *answer to 1 or 0. Thread-safe. */
int kg_ask(kg_db *db, const char *text, int *answer);
/* Quads matching a pattern in a snapshot taken now: each of s, p, o is a
 * term in N-Triples syntax or NULL (any); g is NULL (any graph),
 * KG_DEFAULT_GRAPH (the default graph) or a graph's IRI. The result has
 * four columns: subject, predicate, object, graph (unbound for the default
 * graph). Thread-safe. */
int kg_match(kg_db *db, const char *s, const char *p, const char *o,
             const char *g, kg_result **result);

/* Per-request settings for kg_query_with and kg_update_with. Zero-
 * initialise it ({0}) to get the store's settings, then change fields. */
#define KG_DATASET_STORE 0  /* as opened (kg_options_set_strict_dataset) */
#define KG_DATASET_UNION 1  /* default graph: the union of all graphs */
#define KG_DATASET_STRICT 2 /* default graph: the store's default graph */
typedef struct kg_request_options {
  int64_t timeout_ms;         /* 0: the store's; > 0: this limit; < 0: none */
  int64_t memory_limit_bytes; /* 0: the store's; > 0: this cap; < 0: none */
  int dataset;                /* KG_DATASET_* */
  const char *base_iri;       /* for relative IRIs in the text; NULL: none */
} kg_request_options;

/* kg_query with per-request settings (`options` NULL: as kg_query).
 * KG_INVALID for a dataset value out of range. Thread-safe. */
int kg_query_with(kg_db *db, const char *text,
                  const kg_request_options *options, kg_result **result);

#define KG_RESULT_BINDINGS 1 /* SELECT: rows of variable bindings */
#define KG_RESULT_BOOLEAN 2  /* ASK */
#define KG_RESULT_GRAPH 3    /* CONSTRUCT, DESCRIBE: one triple a row */
#define KG_RESULT_QUADS 4    /* kg_match: one quad a row */

/* The kind of result (KG_RESULT_*). */
int kg_result_type(kg_result *result);
/* KG_RESULT_BOOLEAN: the answer, 1 or 0 (0 for other kinds). */
int kg_result_boolean(kg_result *result);
/* Columns: the projected variables of a SELECT; "subject", "predicate",
 * "object" for graph results, and "graph" too for matches; none for ASK. */
int kg_result_column_count(kg_result *result);
/* The name of column `col` (a variable's, without '?'), or NULL when out of
 * range. Valid until kg_result_free. */
const char *kg_result_column_name(kg_result *result, int col);
/* The column named `name` (without '?'), or -1. */
int kg_result_column_index(kg_result *result, const char *name);
/* Advances to the next row: KG_ROW, KG_DONE at the end (and ever after), or
 * an error (the result is then finished; kg_errmsg says why). */
int kg_result_step(kg_result *result);

/* Cells of the current row; `col` from 0. Every string is valid until the
 * next kg_result_step or kg_result_free. Out of range or before a row:
 * KG_TERM_UNBOUND / NULL / 0. */
/* KG_TERM_UNBOUND, KG_TERM_IRI, KG_TERM_BLANK or KG_TERM_LITERAL. */
int kg_result_kind(kg_result *result, int col);
/* The IRI, the blank node's label (no "_:") or the literal's lexical form;
 * NULL when unbound. A lexical form may contain NUL characters: use
 * kg_result_lexical_length for its length in bytes. */
const char *kg_result_lexical(kg_result *result, int col);
size_t kg_result_lexical_length(kg_result *result, int col);
/* A literal's datatype IRI (xsd:string for simple literals,
 * rdf:langString for language-tagged ones); NULL for other kinds. */
const char *kg_result_datatype(kg_result *result, int col);
/* A literal's language tag (lower case); NULL when it has none. */
const char *kg_result_language(kg_result *result, int col);
/* The cell in N-Triples syntax; NULL when unbound. */
const char *kg_result_ntriples(kg_result *result, int col);
/* Frees `result` (NULL allowed). */
void kg_result_free(kg_result *result);

/* ---- Updates, plans ------------------------------------------------------ */
typedef struct kg_update_stats {
  uint64_t inserted; /* quads added */
  uint64_t removed;  /* quads removed */
  double seconds;
} kg_update_stats;

/* Runs a SPARQL 1.1 update request as one transaction: every operation
 * applies or none does. `stats` may be NULL. Errors: KG_INVALID (syntax),
 * KG_LOCKED (read-only), KG_TIMEOUT, KG_FULL. Thread-safe (waits for the
 * current writer). */
int kg_update(kg_db *db, const char *text, kg_update_stats *stats);
/* kg_update with per-request settings (`options` NULL: as kg_update). */
int kg_update_with(kg_db *db, const char *text,
                   const kg_request_options *options, kg_update_stats *stats);
/* The physical plan of a query, one operator a line with its estimated
 * rows; with `profile` non-zero the query runs to its end and each line
 * adds actual rows and time. *plan is the caller's (kg_free). */
int kg_explain(kg_db *db, const char *text, int profile, char **plan);

/* ---- Export -------------------------------------------------------------- */
typedef struct kg_export_options {
  /* "dot", "graphml", "gexf", "cytoscape" (JSON) or "html". Required. */
  const char *format;
  /* A CONSTRUCT or DESCRIBE query whose triples are the graph; NULL: the
   * whole store (or the neighbourhood, below). */
  const char *query;
  /* N-Triples term: export the nodes within `hops` edges of it instead. */
  const char *around;
  int hops; /* 0: 1 */
  const char *graph; /* N-Triples IRI: only quads of this named graph */
  const char *title; /* NULL: "kgstore graph" */
} kg_export_options;

/* Writes a picture of the graph to the file `path` (created or replaced;
 * on failure no partial file is left). Errors: KG_INVALID (format, query),
 * KG_NOTFOUND (no such graph), KG_IOERR (cannot write `path`). */
int kg_export(kg_db *db, const char *path, const kg_export_options *options);

/* ---- Maintenance ---------------------------------------------------------- */
/* Quads in the store (all graphs), from the persisted statistics. */
int kg_count(kg_db *db, uint64_t *quads);
/* The store's statistics as a JSON object the caller frees (kg_free):
 * {"quads": N, "disk_bytes": N,
 *  "predicates": [{"predicate": IRI, "quads": N, "distinct_subjects": N,
 *                  "distinct_objects": N}, ...],   (most quads first)
 *  "graphs": [{"graph": IRI or null, "quads": N}, ...]} */
int kg_statistics(kg_db *db, char **json);
/* Verifies the store's indexes, dictionary and statistics. KG_OK with
 * *problems NULL when sound; KG_CORRUPT with *problems set to one line per
 * problem (the caller's; kg_free); `problems` may be NULL. */
int kg_check(kg_db *db, char **problems);
/* Compacts the store (smallest on disk, fastest reads). */
int kg_compact(kg_db *db);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KGSTORE_KG_H_ */
