MATCH (p:Person) OPTIONAL MATCH (p)-[:holdsOffice]->(o:Office) RETURN p.id, p.label, o.label
