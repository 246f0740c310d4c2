SELECT COUNT(*)
FROM {{T}} ty JOIN {{T}} d ON d.s = ty.s AND d.p = {{I:kg:date}}
WHERE ty.p = {{I:rdf:type}} AND ty.o = {{I:kg:Meeting}}
  AND {{V:d.o}} >= '2020-01-01' AND {{V:d.o}} < '2020-02-01'
