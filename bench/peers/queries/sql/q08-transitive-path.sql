WITH RECURSIVE r(x) AS (
  SELECT t.s FROM {{T}} t WHERE t.p = {{I:kg:locatedIn}} AND t.o = {{I:ex:country-1}}
  UNION
  SELECT t.s FROM {{T}} t JOIN r ON t.o = r.x AND t.p = {{I:kg:locatedIn}}
)
SELECT COUNT(*) FROM {{T}} m JOIN r ON m.o = r.x WHERE m.p = {{I:kg:location}}
