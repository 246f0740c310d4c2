SELECT COUNT(*)
FROM {{T}} a
JOIN {{T}} b ON b.s = a.o AND b.p = {{I:kg:metWith}}
JOIN {{T}} c ON c.s = b.o AND c.p = {{I:kg:metWith}} AND c.o = a.s
WHERE a.p = {{I:kg:metWith}}
