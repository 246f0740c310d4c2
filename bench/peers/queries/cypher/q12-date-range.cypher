MATCH (m:Meeting) WHERE m.date >= date('2020-01-01') AND m.date < date('2020-02-01') RETURN count(*)
