MATCH (a:Person)-[:metWith]->(b:Person)-[:metWith]->(c:Person)-[:metWith]->(a) RETURN count(*)
