SELECT {{V:hl.o}}, {{V:gl.o}}, {{V:d.o}}
FROM {{T}} loc
JOIN {{T}} h ON h.s = loc.s AND h.p = {{I:kg:heldBy}}
JOIN {{T}} g ON g.s = loc.s AND g.p = {{I:kg:participant}}
JOIN {{T}} d ON d.s = loc.s AND d.p = {{I:kg:date}}
JOIN {{T}} hl ON hl.s = h.o AND hl.p = {{I:rdfs:label}}
JOIN {{T}} gl ON gl.s = g.o AND gl.p = {{I:rdfs:label}}
WHERE loc.p = {{I:kg:location}} AND loc.o = {{I:ex:city-7}} AND g.o <> h.o
