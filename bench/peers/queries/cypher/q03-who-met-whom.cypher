MATCH (m:Meeting)-[:location]->(c:City {id: 'https://kgstore.example/id/city-7'}), (m)-[:heldBy]->(h:Person), (m)-[:participant]->(g:Person) WHERE g.id <> h.id RETURN h.label, g.label, m.date
