SELECT {{V:ty.s}}, {{V:l.o}}, {{V:ol.o}}
FROM {{T}} ty
JOIN {{T}} l ON l.s = ty.s AND l.p = {{I:rdfs:label}}
LEFT JOIN ({{T}} ho JOIN {{T}} ol ON ol.s = ho.o AND ol.p = {{I:rdfs:label}})
  ON ho.s = ty.s AND ho.p = {{I:kg:holdsOffice}}
WHERE ty.p = {{I:rdf:type}} AND ty.o = {{I:kg:Person}}
