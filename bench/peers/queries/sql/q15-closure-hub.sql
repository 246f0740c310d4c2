WITH RECURSIVE r(x) AS (
  SELECT t.o FROM {{T}} t WHERE t.s = {{I:ex:person-0}} AND t.p = {{I:kg:metWith}}
  UNION
  SELECT t.o FROM {{T}} t JOIN r ON t.s = r.x AND t.p = {{I:kg:metWith}}
)
SELECT COUNT(*) FROM r WHERE r.x <> {{I:ex:person-0}}
