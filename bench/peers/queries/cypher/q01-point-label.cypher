MATCH (p:Person {id: 'https://kgstore.example/id/person-42'}) RETURN p.label
