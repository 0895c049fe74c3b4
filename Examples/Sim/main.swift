print("tradeonly-sim: not yet")
