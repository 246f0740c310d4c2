SELECT {{V:a.s}}, {{V:d.o}}, {{V:ll.o}}
FROM {{T}} a
JOIN {{T}} d ON d.s = a.s AND d.p = {{I:kg:date}}
JOIN {{T}} l ON l.s = a.s AND l.p = {{I:kg:location}}
JOIN {{T}} ll ON ll.s = l.o AND ll.p = {{I:rdfs:label}}
WHERE a.p = {{I:kg:participant}} AND a.o = {{I:ex:person-42}}
