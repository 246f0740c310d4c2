MATCH (m:Meeting)-[:participant]->(p:Person) RETURN p.id, count(*) AS n ORDER BY n DESC, p.id LIMIT 10
