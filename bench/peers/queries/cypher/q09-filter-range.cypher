MATCH (t:TradeRelation) WHERE t.turnoverUSD >= 1000000000 AND t.turnoverUSD < 2000000000 RETURN t.id, t.turnoverUSD
