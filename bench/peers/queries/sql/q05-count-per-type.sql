SELECT {{V:t.o}}, COUNT(*) FROM {{T}} t WHERE t.p = {{I:rdf:type}} GROUP BY t.o
