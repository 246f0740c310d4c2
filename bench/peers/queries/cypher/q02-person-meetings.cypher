MATCH (m:Meeting)-[:participant]->(p:Person {id: 'https://kgstore.example/id/person-42'}), (m)-[:location]->(l:City) RETURN m.id, m.date, l.label
