SELECT {{V:t.s}}, {{V:t.o}} FROM {{T}} t
WHERE t.p = {{I:kg:turnoverUSD}} AND {{N:t.o}} >= 1000000000 AND {{N:t.o}} < 2000000000
