SELECT {{V:t.p}}, COUNT(*) FROM {{T}} t GROUP BY t.p
