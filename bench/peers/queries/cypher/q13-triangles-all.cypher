MATCH (a:Person)-[:metWith]->(b:Person)-[:metWith]->(c:Person)-[:metWith]->(a) WHERE a.id < b.id AND b.id < c.id RETURN count(*)
