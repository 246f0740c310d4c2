#!/usr/bin/env python3
"""A Python host program that embeds kgstore through its binding: open a
store, load the seed example, add a fact in a transaction, and ask who is
within two metWith hops of the Romanian ambassador (a property path); then
the same store through rdflib.

    embed_example.py STORE_DIR SEED_TRIG

With an installed kgstore, the binding is under the prefix's
lib/python3/dist-packages (PYTHONPATH=$PREFIX/lib/python3/dist-packages).
Prints one line per person found and exits 0; an error exits 1.
"""
import sys

import kgstore

PATH_QUERY = """
PREFIX kg: <https://kgstore.example/vocab#>
PREFIX ex: <https://kgstore.example/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?person ?name WHERE {
  ex:madalina-lupu kg:metWith/kg:metWith ?person .
  ?person rdfs:label ?name .
} ORDER BY ?name
"""


def main(argv):
    if len(argv) != 3:
        print("usage: embed_example.py STORE_DIR SEED_TRIG", file=sys.stderr)
        return 2
    store_dir, seed = argv[1], argv[2]
    print("kgstore", kgstore.version())
    try:
        with kgstore.open(store_dir) as db:
            loaded = db.load(seed)
            print(f"loaded {loaded.statements} statements, "
                  f"{loaded.quads_added} new quads")
            with db.transaction() as txn:
                txn.add(("<https://kgstore.example/id/embed-note>",
                         "<http://www.w3.org/2000/01/rdf-schema#comment>",
                         '"written by the Python embedding example"@en'))
            people = 0
            for person, name in db.query(PATH_QUERY):
                print(f"{person}  {name}")
                people += 1
            print(f"{people} people within two metWith hops")
    except kgstore.Error as e:
        print(f"embed_example.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
