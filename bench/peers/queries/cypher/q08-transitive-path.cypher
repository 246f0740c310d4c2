MATCH (m:Meeting)-[:location]->(l:City)-[:locatedIn*1..30]->(c:Country {id: 'https://kgstore.example/id/country-1'}) RETURN count(*)
