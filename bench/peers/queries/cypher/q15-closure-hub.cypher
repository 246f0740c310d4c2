MATCH (a:Person {id: 'https://kgstore.example/id/person-0'})-[:metWith* SHORTEST 1..30]->(x:Person) WHERE x.id <> a.id RETURN count(DISTINCT x.id)
