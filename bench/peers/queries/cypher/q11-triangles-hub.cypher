MATCH (a:Person {id: 'https://kgstore.example/id/person-5'})-[:metWith]->(b:Person)-[:metWith]->(c:Person)-[:metWith]->(a) RETURN count(*)
