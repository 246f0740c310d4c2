SELECT {{V:t.o}} FROM {{T}} t WHERE t.s = {{I:ex:person-42}} AND t.p = {{I:rdfs:label}}
