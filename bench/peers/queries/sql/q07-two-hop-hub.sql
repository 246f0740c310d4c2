SELECT COUNT(DISTINCT b.o)
FROM {{T}} a JOIN {{T}} b ON b.s = a.o AND b.p = {{I:kg:metWith}}
WHERE a.s = {{I:ex:person-5}} AND a.p = {{I:kg:metWith}}
