MATCH (a:Person {id: 'https://kgstore.example/id/person-5'})-[:metWith]->(b:Person)-[:metWith]->(x:Person) RETURN count(DISTINCT x.id)
