SELECT {{V:t.o}}, COUNT(*) AS n FROM {{T}} t WHERE t.p = {{I:kg:participant}}
GROUP BY t.o ORDER BY n DESC, {{V:t.o}} LIMIT 10
