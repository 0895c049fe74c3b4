// tradeonly-demo: the README's main command.
print("TradeOnly demo")
