SELECT {{V:al.o}}, {{V:cl.o}}, {{V:tu.o}}
FROM {{T}} tp
JOIN {{T}} a ON a.p = {{I:kg:ambassadorOf}} AND a.o = tp.o
JOIN {{T}} al ON al.s = a.s AND al.p = {{I:rdfs:label}}
JOIN {{T}} cl ON cl.s = tp.o AND cl.p = {{I:rdfs:label}}
JOIN {{T}} p1 ON p1.p = {{I:kg:partner}} AND p1.o = {{I:ex:country-0}}
JOIN {{T}} p2 ON p2.s = p1.s AND p2.p = {{I:kg:partner}} AND p2.o = tp.o
JOIN {{T}} ty ON ty.s = p1.s AND ty.p = {{I:rdf:type}} AND ty.o = {{I:kg:TradeRelation}}
JOIN {{T}} y ON y.s = p1.s AND y.p = {{I:kg:year}} AND y.o = {{L:2022}}
JOIN {{T}} tu ON tu.s = p1.s AND tu.p = {{I:kg:turnoverUSD}}
WHERE tp.s = {{I:ex:country-0}} AND tp.p = {{I:kg:tradePartner}}
ORDER BY {{N:tu.o}} DESC, {{V:al.o}}
