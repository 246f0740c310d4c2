MATCH (n) WHERE label(n) <> 'Thing' RETURN concat('https://kgstore.example/vocab#', label(n)) AS type, count(*) AS n
