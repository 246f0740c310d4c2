/*
 * A C host program that embeds kgstore through its C API: open a store,
 * load the seed example, add a fact in a transaction, and ask who is within
 * two metWith hops of the Romanian ambassador (a property path).
 *
 *   embed_example_c STORE_DIR SEED_TRIG
 *
 * Built out of the source tree against an installed kgstore:
 *   cc -std=c99 embed_example.c $(pkg-config --cflags --libs kgstore)
 *
 * Prints one line per person found and exits 0; any error is printed with
 * its code and message and exits 1.
 */
#include <stdio.h>

#include <kgstore/kg.h>

static int fail(kg_db *db, int rc) {
  fprintf(stderr, "embed_example_c: %s: %s\n", kg_errstr(rc), kg_errmsg(db));
  return 1;
}

int main(int argc, char **argv) {
  kg_db *db = NULL;
  kg_txn *txn = NULL;
  kg_result *result = NULL;
  kg_load_stats loaded;
  int rc;
  int rows = 0;

  if (argc != 3) {
    fprintf(stderr, "usage: embed_example_c STORE_DIR SEED_TRIG\n");
    return 2;
  }
  printf("kgstore %s\n", kg_version());

  /* 1. Open (or create) the store. Even a failed open gives a handle that
   *    holds the message. */
  rc = kg_open(argv[1], NULL, &db);
  if (rc != KG_OK) {
    int status = fail(db, rc);
    kg_close(db);
    return status;
  }

  /* 2. Load the seed example: all or nothing; loading twice adds nothing. */
  rc = kg_load_file(db, argv[2], NULL, &loaded);
  if (rc != KG_OK) goto error;
  printf("loaded %llu statements, %llu new quads\n",
         (unsigned long long)loaded.statements,
         (unsigned long long)loaded.quads_added);

  /* 3. A transaction: terms in N-Triples syntax, NULL = default graph. */
  rc = kg_begin(db, &txn);
  if (rc != KG_OK) goto error;
  rc = kg_insert(txn, "<https://kgstore.example/id/embed-note>",
                 "<http://www.w3.org/2000/01/rdf-schema#comment>",
                 "\"written by the C embedding example\"@en", NULL);
  if (rc != KG_OK) {
    kg_rollback(txn);
    goto error;
  }
  rc = kg_commit(txn); /* frees txn, committed or not */
  if (rc != KG_OK) goto error;

  /* 4. A query with a property path; step through the rows. */
  rc = kg_query(db,
                "PREFIX kg: <https://kgstore.example/vocab#>\n"
                "PREFIX ex: <https://kgstore.example/id/>\n"
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                "SELECT DISTINCT ?person ?name WHERE {\n"
                "  ex:madalina-lupu kg:metWith/kg:metWith ?person .\n"
                "  ?person rdfs:label ?name .\n"
                "} ORDER BY ?name",
                &result);
  if (rc != KG_OK) goto error;
  while ((rc = kg_result_step(result)) == KG_ROW) {
    printf("%s  %s\n", kg_result_lexical(result, 0),
           kg_result_lexical(result, 1));
    ++rows;
  }
  kg_result_free(result);
  if (rc != KG_DONE) goto error;
  printf("%d people within two metWith hops\n", rows);

  kg_close(db);
  return 0;

error:
  rc = fail(db, rc);
  kg_close(db);
  return rc;
}
